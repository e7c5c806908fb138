package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.Fault;
import dev.berth.chaos.experiment.FaultContext;
import dev.berth.chaos.lab.Lab;
import java.util.Optional;

/** control-plane-kill: SIGKILL the leading control plane; start it again later. */
public final class ControlPlaneKill implements Fault {
  private final FaultContext context;
  private final Lab.Member victim;
  private final long durationMillis;

  public ControlPlaneKill(FaultContext context, long durationMillis) throws InterruptedException {
    this.context = context;
    this.victim = context.leader();
    this.durationMillis = durationMillis;
  }

  @Override
  public String member() {
    return victim.name();
  }

  @Override
  public String target() {
    return victim.name() + " (leader)";
  }

  @Override
  public long durationMillis() {
    return durationMillis;
  }

  @Override
  public void inject() throws Exception {
    victim.process().kill();
  }

  @Override
  public void heal() throws Exception {
    context.lab().restart(victim);
  }

  @Override
  public boolean detected() throws Exception {
    Optional<Lab.Member> leader = context.lab().leader();
    return leader.isPresent() && !leader.get().name().equals(victim.name());
  }
}
