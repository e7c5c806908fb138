package dev.berth.model.gitops;

/**
 * One sync in a source's history: which commit, when, why it ran (poll, webhook, manual, selfHeal,
 * source changed), whether it applied, what it changed, how long the pass took (fetch, read,
 * compare, apply) and, when it failed, why.
 */
public record SyncRecord(
    String sha,
    long atMillis,
    String trigger,
    boolean succeeded,
    int created,
    int updated,
    int deleted,
    long durationMillis,
    String message) {}
