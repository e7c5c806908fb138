package dev.berth.runtime;

import java.util.concurrent.CompletableFuture;

/**
 * A process started by exec: its host pid and its exit code once it ends (128+signal when killed;
 * never, for a detached one: its status goes to whoever reaps it, the caller's subreaper).
 */
public record ExecHandle(int pid, CompletableFuture<Integer> exit) {}
