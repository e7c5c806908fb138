package dev.berth.agent.exec;

/**
 * What a command run in a container printed and how it ended (128 + signal when killed); {@code
 * truncated} when its output passed the cap and it was killed for it.
 */
public record ExecResult(int exitCode, String stdout, String stderr, boolean truncated) {}
