package dev.berth.controlplane.api;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.auth.ApiGuard;
import dev.berth.controlplane.specs.WorkloadStore;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

/**
 * What an {@link ApiExtension} may use of the API it extends: its Vert.x, its worker pool for
 * blocking calls, the live fleet view, the spec store, and its tokens and access settings.
 */
public record ApiContext(
    Vertx vertx,
    WorkerExecutor workers,
    HazelcastInstance fleetView,
    WorkloadStore store,
    ApiGuard guard) {}
