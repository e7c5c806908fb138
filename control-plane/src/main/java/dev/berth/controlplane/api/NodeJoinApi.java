package dev.berth.controlplane.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.controlplane.auth.BearerAuthentication;
import dev.berth.controlplane.auth.Role;
import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.pki.NodeCertificates;
import dev.berth.model.ApiError;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.PemFiles;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * POST /v1/nodes/join: a node with a join token (kubeadm's bootstrap token) sends its name, its
 * addresses and a certificate request, and gets its node certificate and the fleet's CA; from then
 * on its API accepts only the control planes, and they verify it. The same certificate is its
 * identity to Kafka, where the join has created its topics and granted it their use.
 */
final class NodeJoinApi {
  private final NodeCertificates signer;
  private final NodeKafkaGrants grants;
  private final WorkerExecutor workers;

  NodeJoinApi(NodeCertificates signer, NodeKafkaGrants grants, WorkerExecutor workers) {
    this.signer = signer;
    this.grants = grants;
    this.workers = workers;
  }

  void mount(Router router) {
    router
        .post("/v1/nodes/join")
        .handler(BodyHandler.create().setBodyLimit(16 * 1024))
        .handler(BearerAuthentication.requireRole(Role.JOIN))
        .handler(this::join);
  }

  private void join(RoutingContext ctx) {
    workers
        .executeBlocking(
            () -> {
              JsonNode body =
                  ctx.body().buffer() == null
                      ? null
                      : JsonMapping.mapper().readTree(ctx.body().buffer().getBytes());
              if (body == null || !body.path("node").isTextual() || !body.path("csr").isTextual()) {
                throw new IllegalArgumentException(
                    "send {\"node\": NAME, \"csr\": PEM, \"addresses\": [IP, ...]}");
              }
              List<String> addresses = new ArrayList<>();
              JsonNode given = body.path("addresses");
              if (!given.isMissingNode() && !given.isArray()) {
                throw new IllegalArgumentException("addresses: a list of IP addresses");
              }
              if (given.size() > NodeCertificates.MAX_ADDRESSES) {
                throw new IllegalArgumentException(
                    "addresses: at most " + NodeCertificates.MAX_ADDRESSES);
              }
              given.forEach(a -> addresses.add(a.asText()));
              String node = body.get("node").asText();
              X509Certificate cert = signer.sign(node, body.get("csr").asText(), addresses);
              grants.grant(node); // after the checks: a refused request changes nothing
              return JsonMapping.mapper()
                  .createObjectNode()
                  .put("certificate", PemFiles.pem(cert))
                  .put("ca", PemFiles.pem(signer.caCertificate()));
            },
            false)
        .onSuccess(
            out ->
                ctx.response()
                    .setStatusCode(201)
                    .putHeader("Content-Type", "application/json")
                    .end(out.toString()))
        .onFailure(
            e ->
                ctx.response()
                    .setStatusCode(
                        e instanceof IllegalArgumentException || e instanceof java.io.IOException
                            ? 400
                            : 500)
                    .putHeader("Content-Type", "application/json")
                    .end(new ApiError(e.getMessage()).toString()));
  }
}
