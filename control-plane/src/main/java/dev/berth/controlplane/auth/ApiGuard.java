package dev.berth.controlplane.auth;

import java.util.function.Consumer;

/**
 * What stands between a client and the API's handlers: the tokens it checks, the audit log of exec
 * and logs, the TLS and rate-limit settings, and the sink of the request log.
 */
public record ApiGuard(
    TokenStore tokens, AuditLog audit, ApiAccess access, Consumer<String> requestLog) {}
