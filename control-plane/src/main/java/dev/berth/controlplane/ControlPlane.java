package dev.berth.controlplane;

import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.api.ApiExtension;
import dev.berth.controlplane.api.FleetApiVerticle;
import dev.berth.controlplane.auth.ApiGuard;
import dev.berth.controlplane.auth.AuditLog;
import dev.berth.controlplane.auth.RequestLogFile;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.auth.TokenStore;
import dev.berth.controlplane.cluster.LeaderLease;
import dev.berth.controlplane.cluster.NodeRegistry;
import dev.berth.controlplane.cluster.PodSubnetRange;
import dev.berth.controlplane.kafka.KafkaTopics;
import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.pki.NodeCertificates;
import dev.berth.controlplane.scheduler.AssignmentLog;
import dev.berth.controlplane.scheduler.SchedulerPass;
import dev.berth.controlplane.scheduler.SchedulerVerticle;
import dev.berth.controlplane.scheduler.SchedulingStatuses;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.pki.CertificateAuthority;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/**
 * One control-plane process: the workload and token stores on Kafka, the REST API (TLS, bearer
 * tokens), and the scheduler, which acts only while this process holds the scheduler lease in
 * Hazelcast (so any number of them can run).
 */
public final class ControlPlane {
  private final Vertx vertx;
  private final WorkloadStore store;
  private final AssignmentLog assignments;
  private final ApiGuard guard;
  private final FleetApiVerticle api;
  private final SchedulerVerticle scheduler;
  private String apiDeployment;
  private String schedulerDeployment;

  private ControlPlane(
      Vertx vertx,
      WorkloadStore store,
      AssignmentLog assignments,
      ApiGuard guard,
      FleetApiVerticle api,
      SchedulerVerticle scheduler) {
    this.vertx = vertx;
    this.store = store;
    this.assignments = assignments;
    this.guard = guard;
    this.api = api;
    this.scheduler = scheduler;
  }

  /** Opens the topics (creating them when missing), then deploys the API and the scheduler. */
  public static Future<ControlPlane> start(
      Vertx vertx, ControlPlaneConfig config, HazelcastInstance hazelcast) {
    return start(vertx, config, hazelcast, List.of());
  }

  /**
   * As {@link #start(Vertx, ControlPlaneConfig, HazelcastInstance)}, the API extended (the
   * dashboard).
   */
  public static Future<ControlPlane> start(
      Vertx vertx,
      ControlPlaneConfig config,
      HazelcastInstance hazelcast,
      List<ApiExtension> extensions) {
    return vertx
        .executeBlocking(
            () -> {
              KafkaTopics.ensure(config.kafka(), KafkaTopics.fleetEvents());
              new PodSubnetRange(hazelcast).ensureSoon(config.clusterCidr());
              WorkloadStore store = WorkloadStore.open(config.kafka());
              AssignmentLog assignments = AssignmentLog.open(config.kafka());
              TokenStore tokens = TokenStore.open(config.kafka());
              tokens.ensure(
                  TokenStore.BOOTSTRAP_NAME, Role.ADMIN, config.access().bootstrapToken());
              ApiGuard guard =
                  new ApiGuard(
                      tokens,
                      AuditLog.create(vertx, config.kafka()),
                      config.access(),
                      RequestLogFile.open(config.access().requestLog()),
                      new NodeCertificates(
                          CertificateAuthority.openOrCreate(config.access().dir())),
                      new NodeKafkaGrants(config.kafka()));
              LeaderLease lease =
                  new LeaderLease(
                      hazelcast,
                      "scheduler",
                      config.identity(),
                      config.leaseMillis(),
                      System::currentTimeMillis);
              SchedulerPass pass =
                  new SchedulerPass(
                      store,
                      new NodeRegistry(hazelcast, System::currentTimeMillis),
                      assignments,
                      new SchedulingStatuses(hazelcast));
              return new ControlPlane(
                  vertx,
                  store,
                  assignments,
                  guard,
                  new FleetApiVerticle(
                      store, hazelcast, config.apiPort(), config.specLimits(), guard, extensions),
                  new SchedulerVerticle(
                      pass, config.schedulerIntervalMillis(), config.leaseMillis(), lease));
            },
            false)
        .compose(
            cp ->
                vertx
                    .deployVerticle(cp.api)
                    .compose(
                        id -> {
                          cp.apiDeployment = id;
                          return vertx.deployVerticle(cp.scheduler);
                        })
                    .map(
                        id -> {
                          cp.schedulerDeployment = id;
                          return cp;
                        }));
  }

  public int apiPort() {
    return api.actualPort();
  }

  public WorkloadStore store() {
    return store;
  }

  public TokenStore tokens() {
    return guard.tokens();
  }

  /** Stops the scheduler (handing the lease back) and the API, then closes the Kafka clients. */
  public Future<Void> stop() {
    Future<Void> undeployed =
        schedulerDeployment == null
            ? Future.succeededFuture()
            : vertx.undeploy(schedulerDeployment);
    return undeployed
        .compose(
            v -> apiDeployment == null ? Future.succeededFuture() : vertx.undeploy(apiDeployment))
        .compose(v -> guard.audit().close().otherwiseEmpty())
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      assignments.close();
                      guard.tokens().close();
                      store.close();
                      if (guard.requestLog() instanceof RequestLogFile file) {
                        file.close();
                      }
                      return null;
                    },
                    false));
  }
}
