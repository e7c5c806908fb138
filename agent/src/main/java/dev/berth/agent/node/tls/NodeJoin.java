package dev.berth.agent.node.tls;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.KeyPairs;
import dev.berth.model.pki.PemFiles;
import dev.berth.model.pki.TrustedCa;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Joins a node to the fleet as `kubeadm join` does: a new key that never leaves the node, a
 * certificate request sent with a join token to a control plane that the operator's copy of the CA
 * vouches for, and the signed certificate written to the node's pki/ directory.
 */
public final class NodeJoin {
  private NodeJoin() {}

  /**
   * Joins {@code node} at {@code addresses} through the API at {@code server} (https://HOST:PORT),
   * trusting {@code caCert}, with {@code joinToken}; returns the node's TLS files in {@code dir}.
   */
  public static NodeTls join(
      String server, Path caCert, String joinToken, String node, List<String> addresses, Path dir)
      throws IOException, InterruptedException {
    KeyPair pair = KeyPairs.p256();
    String csr;
    try {
      csr =
          PemFiles.pem(
              new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + node), pair.getPublic())
                  .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("cannot sign a certificate request", e);
    }
    var body = JsonMapping.mapper().createObjectNode().put("node", node).put("csr", csr);
    addresses.forEach(body.putArray("addresses")::add);
    HttpClient http =
        HttpClient.newBuilder()
            .sslContext(TrustedCa.sslContext(caCert))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server + "/v1/nodes/join"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + joinToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode answer = JsonMapping.mapper().readTree(r.body());
    if (r.statusCode() != 201) {
      throw new IOException(
          "node "
              + node
              + " cannot join through "
              + server
              + ": HTTP "
              + r.statusCode()
              + " "
              + answer.path("error").asText(r.body()));
    }
    NodeTls tls = NodeTls.in(dir);
    Files.createDirectories(dir);
    PemFiles.write(tls.key(), PemFiles.pem(pair.getPrivate()), true);
    PemFiles.write(tls.ca(), Files.readString(caCert), false);
    // the certificate last: a node counts as joined only once it is there, and only if it is for
    // this key and from this CA
    Path issued = dir.resolve("node.crt.new");
    PemFiles.write(issued, answer.path("certificate").asText(), false);
    try {
      X509Certificate cert = PemFiles.readCertificate(issued);
      cert.verify(PemFiles.readCertificate(caCert).getPublicKey());
      if (!cert.getPublicKey().equals(pair.getPublic())) {
        throw new IOException("the certificate is for another key");
      }
      Files.move(issued, tls.cert(), StandardCopyOption.ATOMIC_MOVE);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new IOException(
          "node " + node + " got a certificate from " + server + " it cannot use: " + e, e);
    } finally {
      Files.deleteIfExists(issued);
    }
    return tls;
  }
}
