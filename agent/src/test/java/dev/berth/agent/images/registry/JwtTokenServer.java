package dev.berth.agent.images.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.berth.embedded.LoopbackRegistry;
import dev.berth.model.JsonMapping;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A token service as Docker Hub's: hands out RS256 JWTs granting the scopes asked for, signed by a
 * key made with the JDK's keytool, whose certificate the registry trusts (rootcertbundle) and finds
 * in the token's x5c.
 */
final class JwtTokenServer implements AutoCloseable {
  static final String SERVICE = "berth-test-registry";
  static final String ISSUER = "berth-test-issuer";
  final List<String> scopesAsked = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final PrivateKey key;
  private final X509Certificate cert;
  private final Path certPem;

  JwtTokenServer(Path dir) throws Exception {
    Path store = dir.resolve("token-key.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-alias",
                "berth",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "changeit",
                "-keypass",
                "changeit",
                "-dname",
                "CN=berth-test",
                "-validity",
                "2")
            .redirectErrorStream(true)
            .start();
    String out = new String(keytool.getInputStream().readAllBytes());
    if (keytool.waitFor() != 0) {
      throw new IllegalStateException("keytool failed: " + out);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(store.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    key = (PrivateKey) ks.getKey("berth", "changeit".toCharArray());
    cert = (X509Certificate) ks.getCertificate("berth");
    certPem = dir.resolve("token-cert.pem");
    Files.writeString(
        certPem,
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/token", this::token);
    server.start();
  }

  LoopbackRegistry.TokenAuth auth() {
    return new LoopbackRegistry.TokenAuth(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/token", SERVICE, ISSUER, certPem);
  }

  private void token(HttpExchange ex) throws IOException {
    try {
      ArrayNode access = JsonMapping.mapper().createArrayNode();
      String query =
          ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
      for (String param : query.split("&")) {
        if (param.startsWith("scope=")) {
          String scope = URLDecoder.decode(param.substring(6), StandardCharsets.UTF_8);
          scopesAsked.add(scope);
          String[] parts = scope.split(":"); // repository:NAME:actions
          ObjectNode grant = access.addObject().put("type", parts[0]).put("name", parts[1]);
          ArrayNode actions = grant.putArray("actions");
          for (String a : parts[2].split(",")) {
            actions.add(a);
          }
        }
      }
      long now = System.currentTimeMillis() / 1000;
      ObjectNode header =
          JsonMapping.mapper().createObjectNode().put("typ", "JWT").put("alg", "RS256");
      header.putArray("x5c").add(Base64.getEncoder().encodeToString(cert.getEncoded()));
      ObjectNode claims =
          JsonMapping.mapper()
              .createObjectNode()
              .put("iss", ISSUER)
              .put("sub", "berth")
              .put("aud", SERVICE)
              .put("exp", now + 300)
              .put("nbf", now - 10)
              .put("iat", now)
              .put("jti", UUID.randomUUID().toString());
      claims.set("access", access);
      Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
      String signingInput =
          url.encodeToString(JsonMapping.writeCompact(header).getBytes(StandardCharsets.UTF_8))
              + "."
              + url.encodeToString(
                  JsonMapping.writeCompact(claims).getBytes(StandardCharsets.UTF_8));
      Signature rs256 = Signature.getInstance("SHA256withRSA");
      rs256.initSign(key);
      rs256.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      String jwt = signingInput + "." + url.encodeToString(rs256.sign());
      byte[] body =
          JsonMapping.writeCompact(
                  JsonMapping.mapper().createObjectNode().put("token", jwt).put("expires_in", 300))
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(body);
      }
    } catch (Exception e) {
      ex.sendResponseHeaders(500, -1);
      ex.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
