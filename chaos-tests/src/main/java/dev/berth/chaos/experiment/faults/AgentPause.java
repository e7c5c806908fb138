package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.Fault;
import dev.berth.chaos.experiment.FaultContext;
import dev.berth.chaos.lab.Lab;

/**
 * agent-pause: SIGSTOP an agent past its lease, then SIGCONT: the zombie node that comes back
 * believing it still runs what was moved away meanwhile.
 */
public final class AgentPause implements Fault {
  private final FaultContext context;
  private final Lab.Member agent;
  private final long durationMillis;

  public AgentPause(FaultContext context, long durationMillis) {
    this.context = context;
    this.agent = context.agentToHit();
    this.durationMillis = durationMillis;
  }

  @Override
  public String target() {
    return agent.name();
  }

  @Override
  public long durationMillis() {
    return durationMillis;
  }

  @Override
  public void inject() {
    agent.process().pause();
  }

  @Override
  public void heal() {
    agent.process().resume();
  }

  @Override
  public java.util.Set<String> lostNodes() {
    return java.util.Set.of(agent.name());
  }

  @Override
  public boolean detected() throws Exception {
    return !context.lab().aliveNodes().contains(agent.name());
  }
}
