package dev.berth.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * A process started by exec: its host pid and its exit code once it ends (128+signal when killed).
 */
public record ExecHandle(int pid, CompletableFuture<Integer> exit) {}
