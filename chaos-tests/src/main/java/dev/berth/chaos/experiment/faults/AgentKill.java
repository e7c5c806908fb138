package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.FaultContext;

/** agent-kill: SIGKILL an agent (a crash); start it again once the fault's time is up. */
public final class AgentKill extends AgentFault {
  public AgentKill(FaultContext context, long durationMillis) {
    super(context, durationMillis);
  }

  @Override
  public void inject() throws Exception {
    agent.process().kill();
  }

  @Override
  public void heal() throws Exception {
    context.lab().restart(agent);
  }
}
