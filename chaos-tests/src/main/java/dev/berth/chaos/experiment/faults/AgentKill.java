package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.Fault;
import dev.berth.chaos.experiment.FaultContext;
import dev.berth.chaos.lab.Lab;

/** agent-kill: SIGKILL an agent (a crash); start it again once the fault's time is up. */
public final class AgentKill implements Fault {
  private final FaultContext context;
  private final Lab.Member agent;
  private final long durationMillis;

  public AgentKill(FaultContext context, long durationMillis) {
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
  public void inject() throws Exception {
    agent.process().kill();
  }

  @Override
  public void heal() throws Exception {
    context.lab().restart(agent);
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
