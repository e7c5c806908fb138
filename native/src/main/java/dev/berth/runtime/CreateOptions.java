package dev.berth.runtime;

import dev.berth.runtime.init.Stdio;
import java.nio.file.Path;

/**
 * How to create a container. {@code monitor}: keep a small berth-init monitor process as the
 * container's parent that records its exit status (what the agent wants); without it the container
 * is adopted by the caller's subreaper, as with runc. {@code watchdog} (null for none, needs the
 * monitor): a file with a deadline in CLOCK_MONOTONIC milliseconds; the monitor kills the container
 * once it has passed or the file is gone.
 */
public record CreateOptions(
    String consoleSocket,
    Path pidFile,
    boolean noPivot,
    Stdio stdio,
    boolean monitor,
    Path watchdog) {
  public static CreateOptions monitored(Stdio stdio) {
    return new CreateOptions(null, null, false, stdio, true, null);
  }

  /** These options with the monitor's watchdog on {@code deadlineFile}. */
  public CreateOptions withWatchdog(Path deadlineFile) {
    return new CreateOptions(consoleSocket, pidFile, noPivot, stdio, true, deadlineFile);
  }
}
