package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.FaultContext;
import dev.berth.chaos.lab.Lab;
import java.util.Optional;

/** control-plane-kill: SIGKILL the leading control plane; start it again later. */
public final class ControlPlaneKill extends LeaderFault {
  public ControlPlaneKill(FaultContext context, long durationMillis) throws InterruptedException {
    super(context, durationMillis);
  }

  @Override
  public String target() {
    return victim.name() + " (leader)";
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
