package dev.berth.model.fleet;

/** Who holds a lease in the Hazelcast map "leases" (the scheduler's), and until when. */
public record LeaseHolder(String id, long expiresAtMillis) {}
