package dev.berth.chaos.experiment;

import dev.berth.chaos.experiment.faults.AgentKill;
import dev.berth.chaos.experiment.faults.AgentPartition;
import dev.berth.chaos.experiment.faults.AgentPause;
import dev.berth.chaos.experiment.faults.BrokerKill;
import dev.berth.chaos.experiment.faults.ContainerKill;
import dev.berth.chaos.experiment.faults.ControlPlaneKill;
import dev.berth.chaos.experiment.faults.ControlPlanePartition;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The experiments by name, with their default parameters (fault lengths in leases, so that every
 * fault outlasts the lease it should make run out), and the seeded random schedule of them.
 */
public final class Experiments {
  /** Every experiment of `berth chaos suite`, in its order ("random" comes last, on its own). */
  public static final List<String> NAMES =
      List.of(
          "agent-kill",
          "agent-pause",
          "agent-partition",
          "agent-partition-kafka",
          "agent-partition-hazelcast",
          "control-plane-kill",
          "control-plane-partition",
          "broker-kill",
          "container-kill");

  public static final String RANDOM = "random";

  private Experiments() {}

  /** The fault of experiment {@code name}, made when it runs. */
  public static ExperimentRunner.FaultFactory fault(String name, FaultContext c, long leaseMillis) {
    long three = 3 * leaseMillis;
    return switch (name) {
      case "agent-kill" -> () -> new AgentKill(c, three);
      case "agent-pause" -> () -> new AgentPause(c, three);
      case "agent-partition" -> () -> new AgentPartition(c, AgentPartition.From.ALL, three);
      case "agent-partition-kafka" -> () -> new AgentPartition(c, AgentPartition.From.KAFKA, three);
      case "agent-partition-hazelcast" ->
          () -> new AgentPartition(c, AgentPartition.From.HAZELCAST, three);
      case "control-plane-kill" -> () -> new ControlPlaneKill(c, three);
      case "control-plane-partition" -> () -> new ControlPlanePartition(c, 4 * leaseMillis);
      case "broker-kill" -> () -> new BrokerKill(c, 8000);
      case "container-kill" -> () -> new ContainerKill(c, 10_000, 1.0);
      default ->
          throw new IllegalArgumentException(
              "no experiment \"" + name + "\": one of " + NAMES + " or " + RANDOM);
    };
  }

  /**
   * A schedule of experiments drawn from {@code seed} whose faults add up to at least {@code
   * durationMillis}: the same seed gives the same schedule (targets are drawn from the same seed
   * when each runs).
   */
  public static List<String> randomSchedule(long seed, long durationMillis, long leaseMillis) {
    Random r = new Random(seed);
    List<String> out = new ArrayList<>();
    long total = 0;
    while (total < durationMillis && out.size() < 100) {
      String name = NAMES.get(r.nextInt(NAMES.size()));
      out.add(name);
      total +=
          name.equals("broker-kill")
              ? 8000
              : name.equals("container-kill") ? 10_000 : 3 * leaseMillis;
    }
    return out;
  }
}
