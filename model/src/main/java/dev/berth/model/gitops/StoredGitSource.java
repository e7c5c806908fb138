package dev.berth.model.gitops;

/** A source as the control plane keeps it on berth.gitsources: the spec and its generation. */
public record StoredGitSource(
    GitSourceSpec spec, long generation, long createdAtMillis, long updatedAtMillis) {}
