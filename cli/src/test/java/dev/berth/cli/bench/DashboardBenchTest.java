package dev.berth.cli.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.cli.BerthCli;
import dev.berth.testing.InProcessCli;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * `berth bench dashboard` on a small fleet: its browser really shows the fleet and the changes (the
 * page's DOM, read by the probe), and its watchers get every change. Timings are the benchmark's
 * business, not this test's: only what was seen is asserted.
 */
class DashboardBenchTest {
  @Test
  void theBenchSeesChangesReachThePageAndEveryWatcher() {
    InProcessCli.Output out =
        BerthCli.run(
            "bench",
            "dashboard",
            "--nodes",
            "20",
            "--containers",
            "200",
            "--watchers",
            "3",
            "--changes",
            "100",
            "--page-loads",
            "1");
    String printed = out.out() + out.err();
    assertTrue(printed.contains("the overview showed 20 nodes, 200 containers"), printed);
    Matcher dom =
        Pattern.compile("(\\d+) of (\\d+) changes to rows in view reached").matcher(printed);
    assertTrue(dom.find(), printed);
    assertTrue(Integer.parseInt(dom.group(2)) == 10, printed);
    assertTrue(dom.group(1).equals(dom.group(2)), "every change to a row in view reached the DOM");
    assertTrue(printed.contains("the page applied 100 of 100 changes"), printed);
    assertTrue(printed.contains("3 of 3 watchers got every change"), printed);
  }
}
