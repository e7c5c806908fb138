package dev.berth.runtime;

import dev.berth.runtime.init.Stdio;
import java.nio.file.Path;

/**
 * How to create a container. {@code monitor}: keep a small berth-init monitor process as the
 * container's parent that records its exit status (what the agent wants); without it the container
 * is adopted by the caller's subreaper, as with runc.
 */
public record CreateOptions(
    String consoleSocket, Path pidFile, boolean noPivot, Stdio stdio, boolean monitor) {
  public static CreateOptions monitored(Stdio stdio) {
    return new CreateOptions(null, null, false, stdio, true);
  }
}
