package dev.berth.runtime;

import dev.berth.runtime.init.Stdio;
import java.nio.file.Path;

/**
 * How to run an extra process in a running container. A detached one is left to the caller once it
 * runs, as runc's `exec -d` leaves it: berth-init does not stay as its parent, so the caller's
 * subreaper (conmon, containerd's shim) reaps it and learns its exit status.
 */
public record ExecOptions(String consoleSocket, Path pidFile, Stdio stdio, boolean detached) {

  /** Not detached: berth-init waits for the process and exits with its status. */
  public ExecOptions(String consoleSocket, Path pidFile, Stdio stdio) {
    this(consoleSocket, pidFile, stdio, false);
  }
}
