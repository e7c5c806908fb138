package dev.berth.chaos.experiment;

import dev.berth.chaos.lab.Lab;
import dev.berth.chaos.lab.LabApi;
import dev.berth.chaos.load.AcknowledgedApplies;
import dev.berth.chaos.load.LoadGenerator;
import dev.berth.chaos.load.LoadOp;
import dev.berth.chaos.observe.Observer;
import dev.berth.chaos.observe.Overlaps;
import dev.berth.model.chaos.ExperimentReport;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs experiments on a lab: steady state checked, load started, fault injected, the fleet's view
 * polled for detection, fault removed, steady state awaited again, then what was lost, what ran
 * twice and what was left behind, measured against the observer's record of what really ran.
 */
public final class ExperimentRunner {
  private static final long STEADY_TIMEOUT_MILLIS = 90_000;
  private static final long BASELINE_MILLIS = 2000;
  private static final int LOAD_WORKLOADS = 4;

  private final Lab lab;
  private final Observer observer;
  private final PrintStream progress;

  public ExperimentRunner(Lab lab, Observer observer, PrintStream progress) {
    this.lab = lab;
    this.observer = observer;
    this.progress = progress;
  }

  /** Applies the watched workloads and waits for them (once per lab). */
  public void prepare() throws Exception {
    int agents = lab.agents().size();
    for (String spec : Workloads.specs(agents).values()) {
      LabApi.Answer a = lab.api().send(0, "PUT", "/v1/workloads", spec);
      if (!a.ok()) {
        throw new IOException("applying " + spec + ": " + a.status() + " " + a.body());
      }
    }
    observer.track(Workloads.desired(agents));
    List<String> why = new ArrayList<>();
    if (!awaitSteady(STEADY_TIMEOUT_MILLIS, why)) {
      throw new IOException("the lab's workloads did not start in time: " + why);
    }
  }

  /** Runs one experiment; {@code fault} is made once the steady state holds. */
  public ExperimentReport run(String name, FaultFactory fault, long seed) throws Exception {
    long startedAt = System.currentTimeMillis();
    List<String> notes = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    boolean steadyBefore = awaitSteady(STEADY_TIMEOUT_MILLIS, notes);
    Fault f = fault.make();
    progress.printf("%s: %s for %d ms%n", name, f.target(), f.durationMillis());
    Long detect = null;
    long t0;
    long t1;
    List<LoadOp> ops;
    try (LoadGenerator load =
        new LoadGenerator(lab.api(), Lab.IMAGE, LOAD_WORKLOADS, 4.0, 2000, seed)) {
      TimeUnit.MILLISECONDS.sleep(BASELINE_MILLIS);
      t0 = System.currentTimeMillis();
      observer.exclude(f.lostNodes());
      f.inject();
      long healAt = t0 + f.durationMillis();
      while (System.currentTimeMillis() < healAt) {
        if (detect == null && f.detectable() && f.detected()) {
          detect = System.currentTimeMillis() - t0;
        }
        TimeUnit.MILLISECONDS.sleep(
            Math.max(1, Math.min(100, healAt - System.currentTimeMillis())));
      }
      t1 = System.currentTimeMillis();
      f.heal();
      observer.exclude(java.util.Set.of());
      if (!f.detectable()) {
        notes.add("the fleet's view cannot show this fault: no detection time");
      } else if (detect == null) {
        notes.add("not detected within the fault's " + f.durationMillis() + " ms");
      }
      TimeUnit.MILLISECONDS.sleep(3000); // the load goes on a little after the fault
      load.close();
      ops = load.ops();
    }
    boolean steadyAfter = awaitSteady(STEADY_TIMEOUT_MILLIS, notes);
    long end = System.currentTimeMillis();

    Long recover = steadyAfter ? recovery(t0) : null;
    FleetState state = FleetState.read(lab);
    List<AcknowledgedApplies.Loss> losses =
        state == null ? List.of() : AcknowledgedApplies.check(ops, state.specs(), LOAD_WORKLOADS);
    losses.forEach(l -> violations.add("lost apply: " + l));
    List<String> orphans = state == null ? List.of() : state.orphans(observer.runningNow());
    orphans.forEach(o -> violations.add("orphan: " + o));
    List<Overlaps.Overlap> overlaps = Overlaps.of(observer.runs(), t0, end);
    long total = overlaps.stream().mapToLong(Overlaps.Overlap::totalMillis).sum();
    long longest = overlaps.stream().mapToLong(Overlaps.Overlap::longestMillis).max().orElse(0);
    java.util.Set<String> uniques = state == null ? java.util.Set.of() : state.unique();
    long unique =
        overlaps.stream()
            .filter(o -> uniques.contains(o.identity().workload()))
            .mapToLong(Overlaps.Overlap::totalMillis)
            .sum();
    if (unique > 0) {
      violations.add("a workload with replicaIdentity: unique ran twice for " + unique + " ms");
    }
    if (!steadyAfter) {
      violations.add("not back at the steady state within " + STEADY_TIMEOUT_MILLIS + " ms");
    }
    int during = 0;
    int failed = 0;
    for (LoadOp o : ops) {
      if (o.sentAtMillis() >= t0 && o.sentAtMillis() <= t1) {
        during++;
        if (!o.acknowledged()) {
          failed++;
        }
      }
    }
    return new ExperimentReport(
        name,
        f.target(),
        seed,
        startedAt,
        t1 - t0,
        detect,
        recover,
        (int) ops.stream().filter(LoadOp::acknowledged).count(),
        losses.size(),
        overlaps.size(),
        total,
        longest,
        unique,
        orphans.size(),
        during,
        failed,
        steadyBefore,
        steadyAfter,
        violations,
        notes);
  }

  /** Makes a fault once the lab is steady (its target depends on where things run then). */
  @FunctionalInterface
  public interface FaultFactory {
    Fault make() throws Exception;
  }

  /**
   * Fault to the last sample that found a watched workload short of its replicas (0 if none was).
   */
  private long recovery(long t0) {
    long last = -1;
    for (Observer.Sample s : observer.samplesSince(t0)) {
      if (!s.converged()) {
        last = s.atMillis();
      }
    }
    return last < 0 ? 0 : last + Observer.PERIOD_MILLIS - t0;
  }

  /**
   * Waits until every agent is alive in the fleet's view, the watched workloads run at their
   * replica counts, and nothing runs that no workload explains; false (and a note) when that does
   * not happen in time.
   */
  private boolean awaitSteady(long timeoutMillis, List<String> notes) throws Exception {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    String why = "";
    Map<String, Integer> desired = Workloads.desired(lab.agents().size());
    while (System.currentTimeMillis() < deadline) {
      List<String> alive = lab.aliveNodes();
      FleetState state = FleetState.read(lab);
      var samples = observer.samplesSince(System.currentTimeMillis() - 200);
      boolean converged =
          !samples.isEmpty() && samples.stream().allMatch(Observer.Sample::converged);
      List<String> orphans =
          state == null ? List.of("no API") : state.orphans(observer.runningNow());
      if (alive.size() == lab.agents().size() && converged && orphans.isEmpty()) {
        return true;
      }
      why =
          "alive "
              + alive
              + ", watched workloads "
              + (converged ? "at " : "not at ")
              + desired
              + ", unexplained "
              + orphans;
      TimeUnit.MILLISECONDS.sleep(200);
    }
    notes.add("no steady state in " + timeoutMillis + " ms: " + why);
    return false;
  }
}
