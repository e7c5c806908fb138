package dev.berth.chaos.experiment.faults;

import dev.berth.chaos.experiment.Experiments;
import dev.berth.chaos.experiment.Fault;
import dev.berth.chaos.experiment.FaultContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * random: the other experiments' faults mixed over a given time, overlapping, as a Jepsen nemesis
 * schedule. The kinds, start times and lengths come from the seed alone (the same seed, the same
 * schedule); each fault picks its target when it starts, as on its own, and one whose member is
 * already under a fault is skipped. Every fault still on is removed when the schedule is healed.
 */
public final class MixedFaults implements Fault {
  /** One planned fault: which experiment's, when after the start, and for how long. */
  public record Step(String kind, long atMillis, long durationMillis) {
    @Override
    public String toString() {
      return kind + "@" + atMillis / 1000.0 + "s+" + durationMillis / 1000.0 + "s";
    }
  }

  /** A step as it went: its fault (null when skipped because its member was under another). */
  private record Started(Step step, Fault fault, long atMillis) {
    @Override
    public String toString() {
      return fault == null
          ? step.kind() + " skipped (its target was under another fault)"
          : step.kind() + " " + fault.target() + " @" + atMillis / 1000.0 + "s";
    }
  }

  private final FaultContext context;
  private final long leaseMillis;
  private final long durationMillis;
  private final List<Step> plan;
  private final List<Fault> active = new ArrayList<>();
  private final List<Started> done = new ArrayList<>();
  private Thread runner;
  private volatile boolean stopping;
  private volatile Exception failure;

  public MixedFaults(FaultContext context, long durationMillis, long leaseMillis, long seed) {
    this.context = context;
    this.durationMillis = durationMillis;
    this.leaseMillis = leaseMillis;
    this.plan = plan(seed, durationMillis, leaseMillis);
  }

  /**
   * Faults one after another, each starting a quarter to three quarters of the way through the one
   * before (so two or three are on at once), until {@code durationMillis}; none shorter than two
   * leases (one that cannot outlast a lease shows nothing).
   */
  public static List<Step> plan(long seed, long durationMillis, long leaseMillis) {
    Random r = new Random(seed);
    List<Step> out = new ArrayList<>();
    long t = 0;
    while (t < durationMillis && out.size() < 200) {
      String kind = Experiments.NAMES.get(r.nextInt(Experiments.NAMES.size()));
      long length = Math.min(Experiments.defaultMillis(kind, leaseMillis), durationMillis - t);
      if (length < 2 * leaseMillis && !out.isEmpty()) {
        break;
      }
      out.add(new Step(kind, t, length));
      t += Math.max(500, (long) (length * (0.25 + 0.5 * r.nextDouble())));
    }
    return out;
  }

  public List<Step> plan() {
    return plan;
  }

  @Override
  public String member() {
    return "fleet";
  }

  @Override
  public synchronized String target() {
    if (done.isEmpty()) {
      return plan.size() + " faults: " + plan;
    }
    List<String> out = new ArrayList<>();
    done.forEach(d -> out.add(d.toString()));
    return out.size() + " faults: " + String.join(", ", out);
  }

  @Override
  public long durationMillis() {
    return durationMillis;
  }

  @Override
  public void inject() {
    runner = new Thread(this::run, "berth-chaos-mixed-faults");
    runner.setDaemon(true);
    runner.start();
  }

  private void run() {
    long t0 = System.currentTimeMillis();
    List<long[]> heals = new ArrayList<>(); // {time, index into started}
    List<Fault> started = new ArrayList<>();
    int next = 0;
    try {
      while (!stopping) {
        long now = System.currentTimeMillis() - t0;
        for (long[] h : List.copyOf(heals)) {
          if (h[0] <= now) {
            heals.remove(h);
            Fault f = started.get((int) h[1]);
            f.heal();
            synchronized (this) {
              active.remove(f);
            }
            excludeLostNodes();
          }
        }
        if (next < plan.size() && plan.get(next).atMillis() <= now) {
          Step s = plan.get(next++);
          Fault f = Experiments.fault(s.kind(), context, leaseMillis, s.durationMillis()).make();
          synchronized (this) {
            if (busy().contains(f.member())) {
              done.add(new Started(s, null, now));
              continue;
            }
            active.add(f);
            done.add(new Started(s, f, now));
          }
          f.inject();
          excludeLostNodes();
          started.add(f);
          heals.add(new long[] {now + s.durationMillis(), started.size() - 1});
        }
        TimeUnit.MILLISECONDS.sleep(50);
      }
    } catch (Exception e) {
      failure = e;
    }
  }

  private synchronized Set<String> busy() {
    Set<String> out = new HashSet<>();
    active.forEach(f -> out.add(f.member()));
    return out;
  }

  private void excludeLostNodes() {
    Set<String> lost = new HashSet<>();
    synchronized (this) {
      active.forEach(f -> lost.addAll(f.lostNodes()));
    }
    context.observer().exclude(lost);
  }

  @Override
  public void heal() throws Exception {
    stopping = true;
    if (runner != null) {
      runner.join(60_000); // not interrupted: a fault half injected or half healed would stay so
    }
    List<Fault> left;
    synchronized (this) {
      left = new ArrayList<>(active);
      active.clear();
    }
    Exception first = failure;
    for (int i = left.size() - 1; i >= 0; i--) {
      try {
        left.get(i).heal();
      } catch (Exception e) {
        first = first == null ? e : first;
      }
    }
    context.observer().exclude(Set.of());
    if (first != null) {
      throw first;
    }
  }

  @Override
  public boolean detected() throws Exception {
    List<Fault> now;
    synchronized (this) {
      now = List.copyOf(active);
    }
    for (Fault f : now) {
      if (f.detectable() && f.detected()) {
        return true;
      }
    }
    return false;
  }
}
