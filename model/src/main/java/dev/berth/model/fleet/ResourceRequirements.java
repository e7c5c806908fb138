package dev.berth.model.fleet;

/** What a replica needs to be placed (requests) and may use at most (limits). */
public record ResourceRequirements(ResourceRequests requests, ResourceRequests limits) {}
