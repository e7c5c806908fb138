package dev.berth.controlplane.auth;

import dev.berth.controlplane.kafka.NodeKafkaGrants;
import dev.berth.controlplane.pki.NodeCertificates;
import java.util.function.Consumer;

/**
 * What stands between a client and the API's handlers: the tokens it checks, the audit log of exec
 * and logs, the TLS and rate-limit settings, the sink of the request log, and the signer of joining
 * nodes' certificates (null: no joins, in tests of the workload routes alone).
 */
public record ApiGuard(
    TokenStore tokens,
    AuditLog audit,
    ApiAccess access,
    Consumer<String> requestLog,
    NodeCertificates nodeCertificates,
    NodeKafkaGrants kafkaGrants) {
  /** A guard for an API that lets no node join (tests of the workload API). */
  public ApiGuard(
      TokenStore tokens, AuditLog audit, ApiAccess access, Consumer<String> requestLog) {
    this(tokens, audit, access, requestLog, null, null);
  }
}
