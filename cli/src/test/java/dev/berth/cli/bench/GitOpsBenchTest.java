package dev.berth.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.BerthCli;
import dev.berth.testing.InProcessCli;
import org.junit.jupiter.api.Test;

/**
 * `berth bench gitops` small, on a real single-machine fleet: every pushed workload's container
 * came up (through the webhook and through polling) and the sync of an unchanged repository changed
 * nothing. Timings are the benchmark's business, not this test's.
 */
class GitOpsBenchTest {
  @Test
  void pushedWorkloadsRunThroughTheWebhookAndPollingAndANoChangeSyncChangesNothing() {
    InProcessCli.Output out =
        BerthCli.run(
            "bench",
            "gitops",
            "--commits",
            "2",
            "--poll-commits",
            "1",
            "--workloads",
            "30",
            "--no-change-syncs",
            "2",
            "--heals",
            "2");
    String printed = out.out() + out.err();
    assertEquals(0, out.exit(), printed);
    assertTrue(printed.contains("push -> running, webhook"), printed);
    assertTrue(printed.contains("(30 workloads created in one transaction)"), printed);
    assertTrue(printed.contains("changed by hand -> healed"), printed);
  }
}
