package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.model.JsonMapping;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `berth get workloads|nodes|containers|events [NAME]`: a table as kubectl prints, or the objects
 * with -o json|yaml; with -w, the table goes on with a row for every change as it happens (the
 * watch stream the dashboard reads, docs/api.md).
 */
@Command(name = "get", description = "show workloads, nodes, containers or the last hour's events")
public final class GetCommand implements Callable<Integer> {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  @Parameters(index = "0", description = "workloads, nodes, containers or events")
  String kind;

  @Parameters(index = "1", arity = "0..1")
  String name;

  @Option(
      names = {"-o", "--output"},
      description =
          "json, yaml or wide (a table with the containers' ports, the nodes' addresses and pod"
              + " subnets; default: a table)")
  String output;

  @Option(
      names = {"-w", "--watch"},
      description = "after the table, a row for every change as it happens (until Ctrl-C)")
  boolean watch;

  @Mixin ApiOptions api = new ApiOptions();

  /** Ports as `docker ps` shows them: 8080->80/tcp for published ones, 80/tcp for the others. */
  private static String ports(JsonNode ports) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : ports) {
      String proto = p.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
      int host = p.path("hostPort").asInt(0);
      out.add((host > 0 ? host + "->" : "") + p.path("containerPort").asInt() + "/" + proto);
    }
    return out.isEmpty() ? "-" : String.join(",", out);
  }

  @Override
  public Integer call() throws Exception {
    String resource =
        switch (kind) {
          case "workload", "workloads" -> "workloads";
          case "node", "nodes" -> "nodes";
          case "container", "containers" -> "containers";
          case "event", "events" -> "events";
          default -> null;
        };
    if (resource == null) {
      System.err.println(
          "berth: unknown kind \"" + kind + "\" (workloads, nodes, containers or events)");
      return 1;
    }
    if (watch || resource.equals("events")) {
      return follow(resource);
    }
    boolean one = name != null && resource.equals("workloads");
    ApiClient.Answer a =
        api.client().send("GET", "/v1/" + resource + (one ? "/" + name : ""), null, null);
    if (a.status() != 200) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    if ("json".equals(output)) {
      System.out.println(JsonMapping.write(a.body()));
    } else if ("yaml".equals(output)) {
      System.out.print(new YAMLMapper().writeValueAsString(a.body()));
    } else {
      header(resource);
      for (JsonNode item : one ? List.of(a.body()) : a.body().path("items")) {
        row(resource, item);
      }
    }
    return 0;
  }

  /**
   * The table from the stream's snapshot, then (with -w) a row for each change of that kind; events
   * without -w print the last hour and stop.
   */
  private int follow(String resource) throws Exception {
    boolean json = "json".equals(output);
    if (!json) {
      header(resource);
    }
    String singular = resource.substring(0, resource.length() - 1);
    String closed =
        api.client()
            .watch(
                msg -> {
                  String type = msg.path("type").asText();
                  if (type.equals("snapshot")) {
                    for (JsonNode item : msg.path(resource)) {
                      if (matches(resource, item)) {
                        print(resource, item, json);
                      }
                    }
                    return watch;
                  }
                  if (type.equals(singular)) {
                    JsonNode item = msg.path("value");
                    if (msg.path("op").asText().equals("delete")) {
                      item =
                          JsonMapping.mapper()
                              .createObjectNode()
                              .put(key(resource), msg.path("key").asText())
                              .put("deleted", true);
                    }
                    if (matches(resource, item)) {
                      print(resource, item, json);
                    }
                  }
                  return true;
                });
    if (watch) {
      System.err.println("berth: the watch stream closed: " + closed);
      return 1;
    }
    return 0;
  }

  private boolean matches(String resource, JsonNode item) {
    return name == null
        || name.equals(item.path(key(resource)).asText())
        || (resource.equals("containers") && name.equals(item.path("workload").asText()))
        || (resource.equals("events")
            && (name.equals(item.path("workload").asText())
                || name.equals(item.path("node").asText())));
  }

  private static String key(String resource) {
    return switch (resource) {
      case "containers" -> "containerId";
      case "events" -> "containerId";
      default -> "name";
    };
  }

  private void print(String resource, JsonNode item, boolean json) {
    if (json) {
      System.out.println(JsonMapping.writeCompact(item));
    } else {
      row(resource, item);
    }
    System.out.flush();
  }

  private void header(String resource) {
    boolean wide = "wide".equals(output);
    switch (resource) {
      case "nodes" ->
          System.out.printf(
              nodeRow(wide),
              "NAME",
              "STATUS",
              "CPU",
              "MEMORY",
              wide ? "ADDRESS" : "",
              wide ? "POD-SUBNET" : "");
      case "containers" ->
          System.out.printf(
              CONTAINER_ROW,
              "CONTAINER",
              "WORKLOAD",
              "NODE",
              "STATE",
              "IP",
              "EXIT",
              "RESTARTS",
              wide ? "PORTS" : "");
      case "events" ->
          System.out.printf(
              EVENT_ROW, "TIME", "KIND", "WHAT", "WORKLOAD", "NODE", "CONTAINER", "DETAIL");
      default -> System.out.printf(WORKLOAD_ROW, "NAME", "IMAGE", "REPLICAS", "GENERATION");
    }
  }

  private static final String CONTAINER_ROW = "%-28s %-16s %-12s %-9s %-15s %-5s %-8s %s%n";
  private static final String WORKLOAD_ROW = "%-24s %-40s %-9s %s%n";
  private static final String EVENT_ROW = "%-8s %-9s %-11s %-16s %-12s %-28s %s%n";

  private static String nodeRow(boolean wide) {
    return "%-20s %-9s %-14s %-16s" + (wide ? " %-15s %s" : "%s%s") + "%n";
  }

  private void row(String resource, JsonNode n) {
    boolean wide = "wide".equals(output);
    boolean deleted = n.path("deleted").asBoolean();
    switch (resource) {
      case "nodes" ->
          // allocatable/capacity, as `kubectl describe node` lists both; -o wide adds the node's
          // address and pod subnet, as kubectl's INTERNAL-IP and PodCIDR
          System.out.printf(
              nodeRow(wide),
              n.path("name").asText(),
              deleted ? "Deleted" : n.path("alive").asBoolean() ? "Ready" : "Lost",
              n.path("allocatableCpuMillis").asLong() + "m/" + n.path("cpuMillis").asLong() + "m",
              (n.path("allocatableMemoryBytes").asLong() >> 20)
                  + "Mi/"
                  + (n.path("memoryBytes").asLong() >> 20)
                  + "Mi",
              wide ? n.path("address").asText("-") : "",
              wide ? n.path("podSubnet").asText("-") : "");
      case "containers" ->
          System.out.printf(
              CONTAINER_ROW,
              n.path("containerId").asText(),
              n.path("workload").asText("-"),
              n.path("node").asText("-"),
              deleted ? "removed" : n.path("state").asText(),
              n.path("ip").asText("-"),
              n.path("exitCode").isNull() || n.path("exitCode").isMissingNode()
                  ? "-"
                  : n.path("exitCode").asText(),
              n.path("restarts").asText("-"),
              wide ? ports(n.path("ports")) : "");
      case "events" ->
          System.out.printf(
              EVENT_ROW,
              CLOCK.format(Instant.ofEpochMilli(n.path("timeMillis").asLong())),
              n.path("kind").asText(),
              n.path("state").asText(),
              n.path("workload").asText("-"),
              n.path("node").asText("-"),
              n.path("containerId").asText("-"),
              detail(n));
      default -> {
        JsonNode spec = n.path("spec");
        System.out.printf(
            WORKLOAD_ROW,
            n.path("name").asText(),
            deleted ? "(deleted)" : spec.path("image").asText(),
            spec.path("replicas").asText(deleted ? "-" : "1"),
            n.path("generation").asText("-"));
      }
    }
  }

  private static String detail(JsonNode e) {
    List<String> parts = new ArrayList<>();
    if (e.hasNonNull("exitCode")) {
      parts.add("exit " + e.get("exitCode").asText());
    }
    if (e.path("restarts").asInt() > 0) {
      parts.add("restarts " + e.get("restarts").asText());
    }
    if (e.hasNonNull("actor")) {
      parts.add("by " + e.get("actor").asText());
    }
    if (e.hasNonNull("message")) {
      parts.add(e.get("message").asText());
    }
    return String.join(" · ", parts);
  }
}
