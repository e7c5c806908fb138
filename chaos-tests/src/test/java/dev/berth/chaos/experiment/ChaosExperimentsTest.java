package dev.berth.chaos.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.chaos.lab.LabConfig;
import dev.berth.chaos.report.ReportTable;
import dev.berth.model.chaos.ChaosReport;
import dev.berth.model.chaos.ExperimentReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run of CI: a lab of three agents and two control planes, each a process in its
 * own network namespace; an agent killed, the leading control plane cut off from the rest (a split
 * Hazelcast cluster: its scheduler writes must be fenced on Kafka's side), the broker killed,
 * containers killed, then 20 s of those faults mixed and overlapping. Fails on a lost acknowledged
 * apply, an orphan, a forbidden overlap, or a fleet that does not come back; the lab leaves nothing
 * behind.
 */
class ChaosExperimentsTest {
  @Test
  void theFleetLosesNoAcknowledgedApplyAndLeavesNoOrphanUnderKillsAndPartitions() throws Exception {
    Path work = Files.createTempDirectory("bct");
    Throwable failed = null;
    try {
      ChaosReport report =
          ChaosSession.run(
              // kept: the lab's logs are printed when the run fails; the finally deletes it (a
              // mount left behind fails that delete)
              new LabConfig(3, 3000, work, true),
              List.of(
                  "agent-kill",
                  "control-plane-partition",
                  "broker-kill",
                  "container-kill",
                  Experiments.RANDOM),
              42,
              20_000,
              System.out);
      System.out.print(ReportTable.render(report));
      for (ExperimentReport e : report.experiments()) {
        assertTrue(e.passed(), e.experiment() + ": " + e.violations() + " " + e.notes());
        assertEquals(0, e.lostApplies(), e.experiment());
        assertEquals(0, e.orphans(), e.experiment());
        assertTrue(e.acknowledgedApplies() > 0, e.experiment() + ": the load ran");
      }
      ExperimentReport kill = report.experiments().get(0);
      assertNotNull(kill.detectMillis(), "the fleet's view marked the killed agent");
      assertNotNull(kill.recoverMillis(), "its replicas ran elsewhere");
      assertTrue(kill.recoverMillis() > 0, "its replicas were missing for a while: " + kill);
      assertTrue(
          kill.detectMillis() < 4000 && kill.recoverMillis() < 10_000,
          "detect " + kill.detectMillis() + " ms, recover " + kill.recoverMillis() + " ms");
      String tag = Long.toString(ProcessHandle.current().pid() % 100_000);
      assertTrue(!Files.exists(Path.of("/sys/class/net/bc" + tag)), "the lab's bridge is gone");
      try (var pins = Files.list(Path.of("/run/netns"))) {
        assertTrue(
            pins.noneMatch(p -> p.getFileName().toString().startsWith("bc" + tag + "-")),
            "the lab's namespaces are gone");
      }
    } catch (Throwable t) {
      failed = t;
      printAgentLogs(work);
      throw t;
    } finally {
      try {
        dev.berth.runtime.files.FileTrees.delete(work);
      } catch (java.io.IOException e) {
        // what went wrong first is what the report must show; a left mount only follows from it
        if (failed == null) {
          throw e;
        }
        failed.addSuppressed(e);
      }
    }
  }

  /**
   * What the agents and control planes said (removals, slow passes, failures), for a run that
   * failed. The Kafka client's reconnect warnings are left out.
   */
  private static void printAgentLogs(Path work) {
    try (var logs =
        Files.find(work, 4, (p, a) -> p.getFileName().toString().matches("(a|cp)\\d+\\.log"))) {
      for (Path log : logs.sorted().toList()) {
        List<String> lines =
            Files.readAllLines(log).stream()
                .filter(l -> !l.contains("NetworkClient") && !l.contains("Hazelcast is starting"))
                .toList();
        System.out.println("--- " + log.getFileName() + " (last 60 of " + lines.size() + " lines)");
        lines.subList(Math.max(0, lines.size() - 60), lines.size()).forEach(System.out::println);
      }
    } catch (java.io.IOException | RuntimeException e) {
      System.out.println("no agent logs: " + e);
    }
  }
}
