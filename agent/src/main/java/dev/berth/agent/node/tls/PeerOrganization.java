package dev.berth.agent.node.tls;

import dev.berth.model.ApiError;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * Lets a request on to the node API only when the client's certificate (already verified against
 * the fleet's CA by the TLS handshake) names one of {@code allowed} as its organization: the
 * control planes for logs and exec, as the kubelet authorizes only the API server. Others get 403.
 */
public final class PeerOrganization implements Handler<RoutingContext> {
  private final Set<String> allowed;

  public PeerOrganization(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  @Override
  public void handle(RoutingContext ctx) {
    String org = organization(ctx);
    if (org != null && allowed.contains(org)) {
      ctx.next();
      return;
    }
    ctx.response()
        .setStatusCode(403)
        .putHeader("Content-Type", "application/json")
        .end(
            new ApiError(
                    "the node API answers "
                        + String.join(" and ", allowed.stream().sorted().toList())
                        + " only, not "
                        + (org == null ? "a client without an organization" : org))
                .toString());
  }

  private static String organization(RoutingContext ctx) {
    try {
      List<Certificate> chain = ctx.request().connection().peerCertificates();
      if (chain.isEmpty() || !(chain.get(0) instanceof X509Certificate leaf)) {
        return null;
      }
      for (Rdn rdn : new LdapName(leaf.getSubjectX500Principal().getName()).getRdns()) {
        if (rdn.getType().equalsIgnoreCase("O")) {
          return rdn.getValue().toString();
        }
      }
      return null;
    } catch (SSLPeerUnverifiedException | InvalidNameException e) {
      return null;
    }
  }
}
