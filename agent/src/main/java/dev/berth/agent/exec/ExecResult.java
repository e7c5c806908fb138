package dev.berth.agent.exec;

/** What a command run in a container printed and how it ended (128 + signal when killed). */
public record ExecResult(int exitCode, String stdout, String stderr) {}
