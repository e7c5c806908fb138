package dev.berth.model.gitops;

/** A commit a source resolved to: its id, author, first line of its message and time. */
public record FetchedCommit(String sha, String author, String message, long timeMillis) {}
