package dev.berth.chaos.observe;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long replica identities ran twice (or more) at the same moment: per identity, the total time
 * in which two or more of its containers ran, anywhere, and the longest such stretch.
 */
public final class Overlaps {
  /** One identity's overlap, in milliseconds. */
  public record Overlap(ReplicaIdentity identity, long totalMillis, long longestMillis) {}

  private Overlaps() {}

  /**
   * The identities whose runs overlapped within [{@code fromMillis}, {@code toMillis}], open runs
   * counted as running until {@code toMillis}.
   */
  public static List<Overlap> of(List<ContainerRun> runs, long fromMillis, long toMillis) {
    Map<ReplicaIdentity, List<long[]>> events = new HashMap<>();
    for (ContainerRun r : runs) {
      long start = Math.max(r.startMillis(), fromMillis);
      long end = Math.min(r.endOr(toMillis), toMillis);
      if (end > start) {
        List<long[]> e = events.computeIfAbsent(r.identity(), i -> new ArrayList<>());
        e.add(new long[] {start, +1});
        e.add(new long[] {end, -1});
      }
    }
    List<Overlap> out = new ArrayList<>();
    for (Map.Entry<ReplicaIdentity, List<long[]>> e : events.entrySet()) {
      List<long[]> ev = e.getValue();
      // ends before starts at the same instant: a replacement seen in one sample is no overlap
      ev.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      int running = 0;
      long since = 0;
      long total = 0;
      long longest = 0;
      for (long[] x : ev) {
        int before = running;
        running += (int) x[1];
        if (before < 2 && running >= 2) {
          since = x[0];
        } else if (before >= 2 && running < 2) {
          total += x[0] - since;
          longest = Math.max(longest, x[0] - since);
        }
      }
      if (total > 0) {
        out.add(new Overlap(e.getKey(), total, longest));
      }
    }
    return out;
  }
}
