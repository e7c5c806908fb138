package dev.berth.chaos.experiment;

import dev.berth.chaos.lab.Lab;
import dev.berth.chaos.observe.ContainerRun;
import dev.berth.chaos.observe.Observer;
import java.util.List;
import java.util.Random;

/** What a fault acts on: the lab, the observer's view of what runs, and the run's random source. */
public record FaultContext(Lab lab, Observer observer, Random random) {
  /**
   * The agent to hit: the one that runs the unique singleton, so that every agent fault tests
   * at-most-one, or else one at random.
   */
  public Lab.Member agentToHit() {
    List<ContainerRun> running = observer.runningNow();
    for (ContainerRun r : running) {
      if (r.identity().workload().equals(Workloads.SINGLETON)) {
        for (Lab.Member a : lab.agents()) {
          if (a.name().equals(r.node())) {
            return a;
          }
        }
      }
    }
    return lab.agents().get(random.nextInt(lab.agents().size()));
  }

  /** The control plane that leads now, or the first. */
  public Lab.Member leader() throws InterruptedException {
    return lab.leader().orElse(lab.controlPlanes().get(0));
  }
}
