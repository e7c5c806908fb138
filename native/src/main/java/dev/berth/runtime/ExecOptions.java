package dev.berth.runtime;

import dev.berth.runtime.init.Stdio;
import java.nio.file.Path;

/** How to run an extra process in a running container. */
public record ExecOptions(String consoleSocket, Path pidFile, Stdio stdio) {}
