package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.FaultContext;
import dev.berth.chaos.lab.Lab;

/**
 * control-plane-partition: the leading control plane cut off from the other control plane and from
 * every agent while it still reaches Kafka: the Hazelcast cluster splits in two, and both halves
 * believe they may lead.
 */
public final class ControlPlanePartition extends LeaderFault {
  public ControlPlanePartition(FaultContext context, long durationMillis)
      throws InterruptedException {
    super(context, durationMillis);
  }

  @Override
  public String target() {
    return victim.name() + " (leader) from the other control plane and the agents";
  }

  @Override
  public void inject() throws Exception {
    for (Lab.Member m : context.lab().controlPlanes()) {
      if (!m.name().equals(victim.name())) {
        context.lab().network().cut(victim.name(), m.address());
      }
    }
    for (Lab.Member a : context.lab().agents()) {
      context.lab().network().cut(victim.name(), a.address());
    }
  }

  @Override
  public void heal() throws Exception {
    context.lab().network().heal(victim.name());
  }

  @Override
  public boolean detected() throws Exception {
    // the other side took the lease over
    for (int i = 0; i < context.lab().controlPlanes().size(); i++) {
      Lab.Member m = context.lab().controlPlanes().get(i);
      if (m.name().equals(victim.name())) {
        continue;
      }
      try {
        var a = context.lab().api().send(i, "GET", "/v1/cluster", null);
        String holder = a.body().path("scheduler").path("holder").asText("");
        return a.body().path("scheduler").path("valid").asBoolean()
            && holder.contains("@" + m.address() + ":");
      } catch (java.io.IOException e) {
        return false;
      }
    }
    return false;
  }
}
