package dev.berth.chaos.experiment.faults;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.chaos.experiment.Fault;
import dev.berth.chaos.experiment.FaultContext;
import dev.berth.chaos.experiment.Workloads;
import dev.berth.chaos.lab.LabApi;
import dev.berth.chaos.observe.ContainerRun;
import dev.berth.model.JsonMapping;
import dev.berth.runtime.libc.Native;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * container-kill: SIGKILL of the service's container processes, one at random every {@code 1/rate}
 * seconds while the fault lasts (restart policies and their back-off do the rest).
 */
public final class ContainerKill implements Fault {
  private static final int SIGKILL = 9;

  private final FaultContext context;
  private final long durationMillis;
  private final double perSecond;
  private final Map<String, Integer> restartsBefore = new HashMap<>();
  private Thread killer;
  private volatile boolean stopping;
  private volatile String firstKilled;
  private volatile int killed;

  public ContainerKill(FaultContext context, long durationMillis, double perSecond) {
    this.context = context;
    this.durationMillis = durationMillis;
    this.perSecond = perSecond;
  }

  @Override
  public String member() {
    return Workloads.SERVICE;
  }

  @Override
  public String target() {
    return Workloads.SERVICE + " containers, " + perSecond + "/s (" + killed + " killed)";
  }

  @Override
  public long durationMillis() {
    return durationMillis;
  }

  @Override
  public void inject() throws Exception {
    restartsBefore.putAll(restarts());
    killer = new Thread(this::loop, "berth-chaos-container-kill");
    killer.setDaemon(true);
    killer.start();
  }

  private void loop() {
    long period = (long) (1000 / perSecond);
    while (!stopping) {
      List<ContainerRun> service =
          context.observer().runningNow().stream()
              .filter(r -> r.identity().workload().equals(Workloads.SERVICE))
              .toList();
      if (!service.isEmpty()) {
        ContainerRun r = service.get(context.random().nextInt(service.size()));
        try {
          JsonNode state =
              JsonMapping.mapper()
                  .readTree(
                      Files.readAllBytes(
                          context
                              .lab()
                              .runtimeDir(r.node())
                              .resolve(r.containerId())
                              .resolve("state.json")));
          int pid = state.path("pid").asInt(0);
          if (pid > 0 && Native.kill(pid, SIGKILL)) {
            killed++;
            if (firstKilled == null) {
              firstKilled = r.containerId();
            }
          }
        } catch (Exception e) {
          // it went meanwhile: the next one
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void heal() throws InterruptedException {
    stopping = true;
    if (killer != null) {
      killer.interrupt();
      killer.join(5000);
    }
  }

  /** The fleet's view shows the first killed container restarted or not running. */
  @Override
  public boolean detected() throws Exception {
    String id = firstKilled;
    if (id == null) {
      return false;
    }
    Map<String, Integer> now = restarts();
    Integer r = now.get(id);
    return r == null || r > restartsBefore.getOrDefault(id, 0) || !running(id);
  }

  private Map<String, JsonNode> reports() throws InterruptedException {
    LabApi.Answer a = context.lab().api().sendAny("GET", "/v1/containers", null);
    Map<String, JsonNode> out = new HashMap<>();
    if (a != null && a.ok()) {
      for (JsonNode c : a.body().path("items")) {
        out.put(c.path("containerId").asText(), c);
      }
    }
    return out;
  }

  private Map<String, Integer> restarts() throws InterruptedException {
    Map<String, Integer> out = new HashMap<>();
    reports().forEach((id, c) -> out.put(id, c.path("restarts").asInt()));
    return out;
  }

  private boolean running(String id) throws InterruptedException {
    JsonNode c = reports().get(id);
    return c != null && c.path("state").asText().equalsIgnoreCase("running");
  }
}
