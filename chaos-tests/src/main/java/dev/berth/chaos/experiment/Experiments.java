package dev.berth.chaos.experiment;

import dev.berth.chaos.experiment.faults.AgentKill;
import dev.berth.chaos.experiment.faults.AgentPartition;
import dev.berth.chaos.experiment.faults.AgentPause;
import dev.berth.chaos.experiment.faults.BrokerKill;
import dev.berth.chaos.experiment.faults.ContainerKill;
import dev.berth.chaos.experiment.faults.ControlPlaneKill;
import dev.berth.chaos.experiment.faults.ControlPlanePartition;
import dev.berth.chaos.experiment.faults.MixedFaults;
import java.util.List;

/**
 * The experiments by name, with their default parameters; "random" mixes the others' faults ({@link
 * MixedFaults}).
 */
public final class Experiments {
  /** Every single-fault experiment of `berth chaos suite`, in its order (then "random"). */
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

  /** The fault of experiment {@code name} with its default length, made when it runs. */
  public static ExperimentRunner.FaultFactory fault(String name, FaultContext c, long leaseMillis) {
    return fault(name, c, leaseMillis, defaultMillis(name, leaseMillis));
  }

  /**
   * The fault of experiment {@code name} lasting {@code millis} (for random: how long its mixed
   * faults go on), made when it runs.
   */
  public static ExperimentRunner.FaultFactory fault(
      String name, FaultContext c, long leaseMillis, long millis) {
    return switch (name) {
      case "agent-kill" -> () -> new AgentKill(c, millis);
      case "agent-pause" -> () -> new AgentPause(c, millis);
      case "agent-partition" -> () -> new AgentPartition(c, AgentPartition.From.ALL, millis);
      case "agent-partition-kafka" ->
          () -> new AgentPartition(c, AgentPartition.From.KAFKA, millis);
      case "agent-partition-hazelcast" ->
          () -> new AgentPartition(c, AgentPartition.From.HAZELCAST, millis);
      case "control-plane-kill" -> () -> new ControlPlaneKill(c, millis);
      case "control-plane-partition" -> () -> new ControlPlanePartition(c, millis);
      case "broker-kill" -> () -> new BrokerKill(c, millis);
      case "container-kill" -> () -> new ContainerKill(c, millis, 1.0);
      case RANDOM -> () -> new MixedFaults(c, millis, leaseMillis, c.random().nextLong());
      default ->
          throw new IllegalArgumentException(
              "no experiment \"" + name + "\": one of " + NAMES + " or " + RANDOM);
    };
  }

  /**
   * How long each experiment's fault lasts by default: in leases, so that every fault outlasts the
   * lease it should make run out (random: a minute of mixed faults).
   */
  public static long defaultMillis(String name, long leaseMillis) {
    return switch (name) {
      case "control-plane-partition" -> 4 * leaseMillis;
      case "broker-kill" -> 8000;
      case "container-kill" -> 10_000;
      case RANDOM -> 60_000;
      default -> 3 * leaseMillis;
    };
  }
}
