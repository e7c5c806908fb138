package dev.berth.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of /proc/PID/stat the runtime needs: state letter and start time (to tell a reused pid
 * apart).
 */
public record ProcessStat(char state, long startTime) {
  public static Optional<ProcessStat> of(int pid) {
    if (pid <= 0) {
      return Optional.empty();
    }
    try {
      String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
      // comm may contain spaces and parentheses: the fields start after the last ')'.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Optional.of(new ProcessStat(f[0].charAt(0), Long.parseLong(f[19])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * True while the process with this pid is the one that started at {@code startTime} and has not
   * exited.
   */
  public static boolean isAlive(int pid, long startTime) {
    return of(pid)
        .filter(s -> s.startTime() == startTime && s.state() != 'Z' && s.state() != 'X')
        .isPresent();
  }
}
