package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.FaultContext;

/**
 * agent-pause: SIGSTOP an agent past its lease, then SIGCONT: the zombie node that comes back
 * believing it still runs what was moved away meanwhile.
 */
public final class AgentPause extends AgentFault {
  public AgentPause(FaultContext context, long durationMillis) {
    super(context, durationMillis);
  }

  @Override
  public void inject() {
    agent.process().pause();
  }

  @Override
  public void heal() {
    agent.process().resume();
  }
}
