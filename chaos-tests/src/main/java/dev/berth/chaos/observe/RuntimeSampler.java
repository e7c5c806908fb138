package dev.berth.chaos.observe;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads which containers of one node really run, from the node's runtime state (each container's
 * state.json: its init's pid and that pid's start time) and from /proc: the process exists, is the
 * same process (start time, so a reused pid is not taken for it), is not a zombie, and the
 * container was started (its exec.fifo is gone, as runc's). Independent of the agent and of the
 * fleet's view.
 */
final class RuntimeSampler {
  private final Path runtimeDir;

  RuntimeSampler(Path runtimeDir) {
    this.runtimeDir = runtimeDir;
  }

  /** The ids of the containers running now. */
  List<String> running() {
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(runtimeDir)) {
      return out;
    }
    try (Stream<Path> dirs = Files.list(runtimeDir)) {
      for (Path dir : dirs.toList()) {
        if (runs(dir)) {
          out.add(dir.getFileName().toString());
        }
      }
    } catch (IOException e) {
      // the directory went while listed: nothing runs there
    }
    return out;
  }

  private static boolean runs(Path dir) {
    try {
      if (Files.exists(dir.resolve("exec.fifo"))) {
        return false; // created, not started
      }
      JsonNode state = JsonMapping.mapper().readTree(Files.readAllBytes(dir.resolve("state.json")));
      int pid = state.path("pid").asInt(0);
      long start = state.path("pidStartTime").asLong(-1);
      if (pid <= 0) {
        return false;
      }
      String stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
      // fields after the command name (which may hold spaces and parentheses): state is the 1st,
      // starttime the 20th
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return !f[0].equals("Z") && !f[0].equals("X") && Long.parseLong(f[19]) == start;
    } catch (IOException | RuntimeException e) {
      return false; // no state (yet, or any more), or no such process
    }
  }
}
