package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.Fault;
import dev.berth.chaos.experiment.FaultContext;
import java.io.IOException;

/** broker-kill: SIGKILL the Kafka broker for a while, then start it again on its log. */
public final class BrokerKill implements Fault {
  private final FaultContext context;
  private final long durationMillis;

  public BrokerKill(FaultContext context, long durationMillis) {
    this.context = context;
    this.durationMillis = durationMillis;
  }

  @Override
  public String target() {
    return "broker";
  }

  @Override
  public long durationMillis() {
    return durationMillis;
  }

  @Override
  public void inject() throws Exception {
    context.lab().broker().process().kill();
  }

  @Override
  public void heal() throws Exception {
    context.lab().restart(context.lab().broker());
  }

  @Override
  public boolean detected() throws Exception {
    for (int i = 0; i < context.lab().controlPlanes().size(); i++) {
      try {
        var a = context.lab().api().send(i, "GET", "/v1/cluster", null);
        if (a.ok() && !a.body().path("kafka").path("reachable").asBoolean(true)) {
          return true;
        }
      } catch (IOException e) {
        // that one does not answer: ask the next
      }
    }
    return false;
  }
}
