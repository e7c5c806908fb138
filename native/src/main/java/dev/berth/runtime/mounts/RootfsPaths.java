package dev.berth.runtime.mounts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Resolves a path inside the container to a host path under the rootfs, following symlinks the way
 * the container will see them (absolute targets start at the rootfs). A path that would climb out
 * of the rootfs is refused rather than silently clamped, so a hostile image cannot aim a mount at
 * the host.
 */
public final class RootfsPaths {
  private static final int MAX_SYMLINKS = 40;

  private RootfsPaths() {}

  /** Thrown when resolution leaves the rootfs or loops. */
  public static class EscapeException extends Exception {
    public EscapeException(String message) {
      super(message);
    }
  }

  public static Path resolve(Path rootfs, String containerPath) throws EscapeException {
    Deque<String> todo = new ArrayDeque<>();
    push(todo, containerPath);
    Deque<String> done = new ArrayDeque<>();
    int links = 0;
    while (!todo.isEmpty()) {
      String part = todo.pollFirst();
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (done.isEmpty()) {
          throw new EscapeException(
              "\"" + containerPath + "\" leads out of the rootfs through \"..\"");
        }
        done.pollLast();
        continue;
      }
      Path candidate = join(rootfs, done).resolve(part);
      if (Files.isSymbolicLink(candidate)) {
        if (++links > MAX_SYMLINKS) {
          throw new EscapeException(
              "\"" + containerPath + "\": too many levels of symbolic links (ELOOP)");
        }
        String target;
        try {
          target = Files.readSymbolicLink(candidate).toString();
        } catch (IOException e) {
          throw new EscapeException(
              "\""
                  + containerPath
                  + "\": cannot read symlink "
                  + candidate
                  + ": "
                  + e.getMessage());
        }
        if (target.startsWith("/")) {
          done.clear();
        }
        Deque<String> expanded = new ArrayDeque<>();
        push(expanded, target);
        for (var it = expanded.descendingIterator(); it.hasNext(); ) {
          todo.addFirst(it.next());
        }
        checkRelativeTarget(containerPath, candidate, target, done);
        continue;
      }
      done.addLast(part);
    }
    return join(rootfs, done);
  }

  /**
   * A relative link whose ".." would pass the rootfs is named as the culprit, not just the path.
   */
  private static void checkRelativeTarget(
      String containerPath, Path link, String target, Deque<String> done) throws EscapeException {
    if (target.startsWith("/")) {
      return;
    }
    int depth = done.size();
    for (String p : target.split("/")) {
      if (p.equals("..")) {
        depth--;
      } else if (!p.isEmpty() && !p.equals(".")) {
        depth++;
      }
      if (depth < 0) {
        throw new EscapeException(
            "\""
                + containerPath
                + "\": symlink "
                + link
                + " -> "
                + target
                + " leads out of the rootfs");
      }
    }
  }

  private static void push(Deque<String> into, String path) {
    for (String p : path.split("/")) {
      into.addLast(p);
    }
  }

  private static Path join(Path rootfs, Deque<String> parts) {
    Path p = rootfs;
    for (String s : parts) {
      p = p.resolve(s);
    }
    return p;
  }
}
