package dev.berth.model.fleet;

/** What a replica needs to be placed (requests) and may use at most (limits). */
public record ResourceRequirements(Resources requests, Resources limits) {}
