package dev.berth.runtime.cgroups;

import dev.berth.model.runtime.Resources;
import dev.berth.runtime.ContainerException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
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

  /**
   * Removes, when empty, the directories a create made (deepest first): a failed create leaves
   * nothing.
   */
  abstract void removeCreated(List<String> created);

  /** The directory work of one driver's create. */
  interface DirectoryMaker {
    void make() throws ContainerException;
  }

  /**
   * The create every driver shares: make the directories (recording each in {@code created}), apply
   * the resources, or on any failure remove what was made and rethrow.
   */
  static <C extends BaseCgroup> C create(
      C cgroup, List<String> created, DirectoryMaker dirs, Resources resources)
      throws ContainerException {
    try {
      dirs.make();
      if (resources != null) {
        cgroup.apply(resources);
      }
      return cgroup;
    } catch (ContainerException | RuntimeException e) {
      cgroup.removeCreated(created);
      throw e;
    }
  }

  /** Visits cgroup paths deepest first, the only order in which they can be removed. */
  static void deepestFirst(List<String> paths, Consumer<String> remove) {
    List<String> sorted = new ArrayList<>(paths);
    sorted.sort((a, b) -> b.length() - a.length());
    sorted.forEach(remove);
  }

  /**
   * Polls {@code reached} for up to a second: freezing is asynchronous in the kernel (the freezer
   * state passes through FREEZING until every task stopped).
   */
  static boolean pollUntil(BooleanSupplier reached) {
    for (int i = 0; i < 1000; i++) {
      if (reached.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
