package dev.berth.controlplane.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hazelcast.cluster.Member;
import dev.berth.controlplane.auth.ApiErrors;
import dev.berth.controlplane.auth.BearerAuthentication;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.cluster.LeaderLease;
import dev.berth.controlplane.kafka.KafkaHealthVerticle;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.LeaseHolder;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * `GET /v1/cluster`: the control plane's own view of its cluster, as `nomad server members` and
 * kube-apiserver's readiness say it: which control plane answers, the Hazelcast members it sees,
 * who holds the scheduler lease, and whether it reaches Kafka.
 */
public final class ClusterApi implements ApiExtension {
  private final String identity;
  private final KafkaHealthVerticle kafka;
  private ApiContext context;

  public ClusterApi(String identity, KafkaAccess kafka) {
    this.identity = identity;
    this.kafka = new KafkaHealthVerticle(kafka);
  }

  @Override
  public Future<Void> mount(Router router, ApiContext context) {
    this.context = context;
    router
        .get("/v1/cluster")
        .handler(BearerAuthentication.requireRole(Role.VIEWER))
        .handler(this::get);
    return context.vertx().deployVerticle(kafka).mapEmpty();
  }

  private void get(RoutingContext ctx) {
    context
        .workers()
        .executeBlocking(
            () -> {
              long now = System.currentTimeMillis();
              ObjectNode out = JsonMapping.mapper().createObjectNode();
              out.put("self", identity);
              ArrayNode members = out.putArray("members");
              for (Member m : context.fleetView().getCluster().getMembers()) {
                members.add(m.getAddress().getHost() + ":" + m.getAddress().getPort());
              }
              LeaseHolder lease =
                  context.fleetView().<String, LeaseHolder>getMap(LeaderLease.MAP).get("scheduler");
              ObjectNode scheduler = out.putObject("scheduler");
              if (lease != null) {
                scheduler.put("holder", lease.id());
                scheduler.put("expiresAtMillis", lease.expiresAtMillis());
                scheduler.put("valid", lease.expiresAtMillis() >= now);
              }
              KafkaHealthVerticle.Health h = kafka.health();
              ObjectNode k = out.putObject("kafka");
              k.put("reachable", h.reachable());
              k.put("sinceMillis", h.sinceMillis());
              k.put("checkedAtMillis", h.checkedAtMillis());
              if (h.error() != null) {
                k.put("error", h.error());
              }
              return out;
            },
            false)
        .onSuccess(
            out ->
                ctx.response()
                    .putHeader("Content-Type", "application/json")
                    .end(JsonMapping.writeCompact(out)))
        .onFailure(e -> ApiErrors.end(ctx, 503, "reading the cluster view: " + e.getMessage()));
  }
}
