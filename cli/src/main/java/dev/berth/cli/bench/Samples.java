package dev.berth.cli.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Durations of one benchmarked variant, in nanoseconds, with median and tail. */
final class Samples {
  private final String name;
  private final List<Long> nanos = new ArrayList<>();

  Samples(String name) {
    this.name = name;
  }

  String name() {
    return name;
  }

  void add(long n) {
    nanos.add(n);
  }

  double percentileMillis(double p) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1))) / 1e6;
  }

  double medianMillis() {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    int n = sorted.size();
    return (n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0)
        / 1e6;
  }
}
