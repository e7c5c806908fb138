package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.Fault;
import dev.berth.chaos.experiment.FaultContext;
import dev.berth.chaos.lab.Lab;

/** A fault of the control plane that leads when it is made (the victim). */
abstract class LeaderFault implements Fault {
  protected final FaultContext context;
  protected final Lab.Member victim;
  private final long durationMillis;

  LeaderFault(FaultContext context, long durationMillis) throws InterruptedException {
    this.context = context;
    this.victim = context.leader();
    this.durationMillis = durationMillis;
  }

  @Override
  public String member() {
    return victim.name();
  }

  @Override
  public long durationMillis() {
    return durationMillis;
  }
}
