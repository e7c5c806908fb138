package dev.berth.runtime.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** What every driver's cgroup shares: its path and the ancestors its create made. */
abstract class BaseCgroup implements Cgroup {
  protected final String path;
  private final List<String> created;

  BaseCgroup(String path, List<String> created) {
    this.path = path.startsWith("/") ? path : "/" + path;
    this.created = created;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public List<String> createdAncestors() {
    return created.stream().filter(p -> !p.equals(path)).toList();
  }

  /** Visits cgroup paths deepest first, the only order in which they can be removed. */
  static void deepestFirst(List<String> paths, Consumer<String> remove) {
    List<String> sorted = new ArrayList<>(paths);
    sorted.sort((a, b) -> b.length() - a.length());
    sorted.forEach(remove);
  }
}
