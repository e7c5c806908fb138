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
import dev.berth.controlplane.gitops.GitOpsApi;
import dev.berth.controlplane.gitops.GitOpsController;
import dev.berth.controlplane.gitops.GitSourceStore;
import dev.berth.controlplane.gitops.SourceFetcher;
import dev.berth.controlplane.kafka.KafkaTopics;
import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.kafka.TransactionalWriter;
import dev.berth.controlplane.pki.NodeCertificates;
import dev.berth.controlplane.scheduler.AssignmentLog;
import dev.berth.controlplane.scheduler.SchedulerPass;
import dev.berth.controlplane.scheduler.SchedulerVerticle;
import dev.berth.controlplane.scheduler.SchedulingStatuses;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.pki.CertificateAuthority;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * One control-plane process: the workload and token stores on Kafka, the REST API (TLS, bearer
 * tokens), and the scheduler, which acts only while this process holds the scheduler lease in
 * Hazelcast (so any number of them can run).
 */
public final class ControlPlane {
  /** Shared by every control plane: the next leader's first sync fences the last one's writes. */
  static final String GITOPS_TRANSACTIONAL_ID = "berth-gitops-sync";

  private final Vertx vertx;
  private final WorkloadStore store;
  private final AssignmentLog assignments;
  private final ApiGuard guard;
  private final FleetApiVerticle api;
  private final SchedulerVerticle scheduler;
  private final GitOps gitops;
  private String apiDeployment;
  private String schedulerDeployment;
  private String gitopsDeployment;

  /** The GitOps parts: sources on Kafka, their mirrors, the sync controller. */
  private record GitOps(
      GitSourceStore sources, SourceFetcher fetcher, GitOpsController controller) {}

  private ControlPlane(
      Vertx vertx,
      WorkloadStore store,
      AssignmentLog assignments,
      ApiGuard guard,
      FleetApiVerticle api,
      SchedulerVerticle scheduler,
      GitOps gitops) {
    this.vertx = vertx;
    this.store = store;
    this.assignments = assignments;
    this.guard = guard;
    this.api = api;
    this.scheduler = scheduler;
    this.gitops = gitops;
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
              GitSourceStore sources = GitSourceStore.open(config.kafka());
              SourceFetcher fetcher =
                  new SourceFetcher(config.gitMirrorsDir(), config.specLimits());
              GitOps gitops =
                  new GitOps(
                      sources,
                      fetcher,
                      new GitOpsController(
                          sources,
                          store,
                          fetcher,
                          new TransactionalWriter(config.kafka(), GITOPS_TRANSACTIONAL_ID),
                          lease,
                          hazelcast,
                          config.specLimits()));
              List<ApiExtension> all = new ArrayList<>(extensions);
              all.add(new GitOpsApi(sources, store, fetcher, hazelcast, config.specLimits()));
              all.add(new dev.berth.controlplane.api.ClusterApi(config.identity(), config.kafka()));
              SchedulerPass pass =
                  new SchedulerPass(
                      store,
                      new NodeRegistry(hazelcast, System::currentTimeMillis),
                      assignments,
                      new SchedulingStatuses(hazelcast));
              lease.returnOnlyWhen(pass::seesFleet);
              return new ControlPlane(
                  vertx,
                  store,
                  assignments,
                  guard,
                  new FleetApiVerticle(
                          store, hazelcast, config.apiPort(), config.specLimits(), guard, all)
                      .listeningOn(config.apiHosts()),
                  new SchedulerVerticle(
                      pass, config.schedulerIntervalMillis(), config.leaseMillis(), lease),
                  gitops);
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
                    .compose(
                        id -> {
                          cp.schedulerDeployment = id;
                          return vertx.deployVerticle(cp.gitops.controller());
                        })
                    .map(
                        id -> {
                          cp.gitopsDeployment = id;
                          return cp;
                        }));
  }

  public int apiPort() {
    return api.actualPort();
  }

  public WorkloadStore store() {
    return store;
  }

  /** The declared GitOps sources. */
  public GitSourceStore sources() {
    return gitops.sources();
  }

  /** The GitOps sync controller (tests: is it the leader, fault injection). */
  public GitOpsController gitops() {
    return gitops.controller();
  }

  public TokenStore tokens() {
    return guard.tokens();
  }

  /**
   * Stops the sync controller, the scheduler (handing the lease back) and the API, then closes the
   * Kafka clients.
   */
  public Future<Void> stop() {
    Future<Void> undeployed =
        (gitopsDeployment == null
                ? Future.<Void>succeededFuture()
                : vertx.undeploy(gitopsDeployment))
            .compose(
                v ->
                    schedulerDeployment == null
                        ? Future.succeededFuture()
                        : vertx.undeploy(schedulerDeployment));
    return undeployed
        .compose(
            v -> apiDeployment == null ? Future.succeededFuture() : vertx.undeploy(apiDeployment))
        .compose(v -> guard.audit().close().otherwiseEmpty())
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      assignments.close();
                      gitops.sources().close();
                      gitops.fetcher().close();
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
