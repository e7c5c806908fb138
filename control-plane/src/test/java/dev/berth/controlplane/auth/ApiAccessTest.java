package dev.berth.controlplane.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.hazelcast.core.HazelcastInstance;
import dev.berth.controlplane.ControlPlane;
import dev.berth.controlplane.ControlPlaneConfig;
import dev.berth.controlplane.TestCredentials;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.JsonMapping;
import dev.berth.model.pki.PemFiles;
import dev.berth.testing.Await;
import dev.berth.testing.StrictVertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's trust boundary, tried as an attacker and as users with each role would: only TLS from a
 * client that trusts the fleet's CA, nothing without a valid token (401) or with too small a role
 * (403), and in each refused case nothing happens; tokens are made and revoked by admins, bursts
 * are cut per token (429), and the request log names the token.
 */
class ApiAccessTest {
  static Path data;
  static EmbeddedKafkaBroker broker;
  static HazelcastInstance hz;
  static StrictVertx strict;
  static ControlPlane cp;
  static ApiAccess access;
  static HttpClient http;
  static String api;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("berth-api-access-");
    hz = EmbeddedHazelcast.start("berth-access-" + ProcessHandle.current().pid());
    strict = new StrictVertx(500);
    access =
        TestCredentials.in(data.resolve("pki"))
            .withLimits(new ApiAccess.RateLimits(0.2, 3, 0.2, 1));
    broker = TestCredentials.broker(data.resolve("kafka"), access);
    cp =
        ControlPlane.start(
                strict.vertx(),
                new ControlPlaneConfig(
                    broker.bootstrapServers(),
                    0,
                    "cp",
                    3000,
                    1000,
                    ControlPlaneConfig.DEFAULT_CLUSTER_CIDR,
                    access),
                hz)
            .toCompletionStage()
            .toCompletableFuture()
            .get(60, TimeUnit.SECONDS);
    http = TestCredentials.http(access);
    api = "https://127.0.0.1:" + cp.apiPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cp != null) {
      cp.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    strict.close();
    hz.shutdown();
    broker.close();
    try (var walk = Files.walk(data)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    strict.assertNeverBlocked();
  }

  private static HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", body.startsWith("{") ? "application/json" : "application/yaml");
    }
    b.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String admin() {
    return access.bootstrapToken();
  }

  private static String token(String name, String role) throws Exception {
    var r =
        call(
            "POST", "/v1/tokens", admin(), "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    assertEquals(201, r.statusCode(), r.body());
    return JsonMapping.mapper().readTree(r.body()).get("token").asText();
  }

  private static boolean workloadExists(String name) throws Exception {
    return call("GET", "/v1/workloads/" + name, admin(), null).statusCode() == 200;
  }

  @Test
  void requestsWithoutAValidTokenAre401AndChangeNothing() throws Exception {
    String spec = "name: anon\nimage: busybox\n";
    var none = call("POST", "/v1/workloads", null, spec);
    assertEquals(401, none.statusCode(), none.body());
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    var wrong = call("POST", "/v1/workloads", "berth_" + "A".repeat(43), spec);
    assertEquals(401, wrong.statusCode(), wrong.body());
    assertTrue(wrong.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
    assertEquals(401, call("GET", "/v1/workloads", "garbage", null).statusCode());
    assertEquals(401, call("GET", "/v1/nodes", null, null).statusCode());
    assertEquals(401, call("DELETE", "/v1/nodes/x", null, null).statusCode());
    assertEquals(401, call("GET", "/v1/tokens", null, null).statusCode());
    assertEquals(
        401, call("POST", "/v1/containers/c/exec", null, "{\"command\":[\"id\"]}").statusCode());
    // an unknown path says nothing to a stranger either
    assertEquals(401, call("GET", "/v1/secrets", null, null).statusCode());
    assertFalse(workloadExists("anon"));
  }

  @Test
  void aViewerReadsButCannotChangeExecOrManageTokens() throws Exception {
    String viewer = token("viewer-one", "viewer");
    assertEquals(200, call("GET", "/v1/workloads", viewer, null).statusCode());
    assertEquals(200, call("GET", "/v1/nodes", viewer, null).statusCode());
    var apply = call("POST", "/v1/workloads", viewer, "name: by-viewer\nimage: busybox\n");
    assertEquals(403, apply.statusCode(), apply.body());
    assertTrue(apply.body().contains("needs operator"), apply.body());
    assertFalse(workloadExists("by-viewer"));
    assertEquals(
        403, call("POST", "/v1/containers/c/exec", viewer, "{\"command\":[\"id\"]}").statusCode());
    assertEquals(403, call("GET", "/v1/tokens", viewer, null).statusCode());
    var whoami = JsonMapping.mapper().readTree(call("GET", "/v1/whoami", viewer, null).body());
    assertEquals("viewer-one", whoami.get("name").asText());
    assertEquals("viewer", whoami.get("role").asText());
  }

  @Test
  void anOperatorAppliesButCannotMakeTokens() throws Exception {
    String operator = token("operator-one", "operator");
    var apply = call("POST", "/v1/workloads", operator, "name: by-operator\nimage: busybox\n");
    assertEquals(201, apply.statusCode(), apply.body());
    var grab = call("POST", "/v1/tokens", operator, "{\"name\":\"mine\",\"role\":\"admin\"}");
    assertEquals(403, grab.statusCode());
    assertFalse(
        call("GET", "/v1/tokens", admin(), null).body().contains("\"mine\""),
        "the operator's token was not made");
    assertEquals(200, call("DELETE", "/v1/workloads/by-operator", operator, null).statusCode());
  }

  @Test
  void aRevokedTokenStopsWorkingAndTheListNeverShowsSecrets() throws Exception {
    String t = token("short-lived", "viewer");
    assertEquals(200, call("GET", "/v1/workloads", t, null).statusCode());
    var list = call("GET", "/v1/tokens", admin(), null);
    assertTrue(list.body().contains("short-lived"));
    assertFalse(list.body().contains(t), "the list holds no secret");
    assertFalse(list.body().contains("sha256"), "nor its hash");
    assertEquals(
        409,
        call("POST", "/v1/tokens", admin(), "{\"name\":\"short-lived\",\"role\":\"viewer\"}")
            .statusCode());
    assertEquals(200, call("DELETE", "/v1/tokens/short-lived", admin(), null).statusCode());
    assertEquals(401, call("GET", "/v1/workloads", t, null).statusCode());
    assertEquals(404, call("DELETE", "/v1/tokens/short-lived", admin(), null).statusCode());
    assertEquals(409, call("DELETE", "/v1/tokens/admin", admin(), null).statusCode());
    assertEquals(
        400,
        call("POST", "/v1/tokens", admin(), "{\"name\":\"Bad Name\",\"role\":\"viewer\"}")
            .statusCode());
    assertEquals(
        400,
        call("POST", "/v1/tokens", admin(), "{\"name\":\"x\",\"role\":\"root\"}").statusCode());
  }

  @Test
  void aBurstOfAppliesIsCutPerTokenWithRetryAfter() throws Exception {
    String a = token("burst-a", "operator");
    String b = token("burst-b", "operator");
    int limited = 0;
    String retryAfter = null;
    for (int i = 0; i < 5; i++) {
      var r =
          call(
              "POST",
              "/v1/workloads",
              a,
              "name: burst\nimage: busybox\nreplicas: " + (i + 1) + "\n");
      if (r.statusCode() == 429) {
        limited++;
        retryAfter = r.headers().firstValue("Retry-After").orElse(null);
      }
    }
    assertEquals(2, limited, "a burst of 3 at 0.2/s lets 3 of 5 through");
    assertTrue(retryAfter != null && Long.parseLong(retryAfter) >= 1, "Retry-After " + retryAfter);
    assertEquals(
        201,
        call("POST", "/v1/workloads", b, "name: burst-b\nimage: busybox\n").statusCode(),
        "another token has its own bucket");
    assertEquals(
        "3",
        JsonMapping.mapper()
            .readTree(call("GET", "/v1/workloads/burst", admin(), null).body())
            .at("/spec/replicas")
            .asText(),
        "the refused applies changed nothing");
  }

  @Test
  void theRequestLogNamesTheTokenOfEachRequest() throws Exception {
    String t = token("logged-one", "viewer");
    call("GET", "/v1/workloads", t, null);
    call("POST", "/v1/workloads", t, "name: x\nimage: busybox\n");
    call("GET", "/v1/nodes", null, null);
    Path log = Path.of(access.requestLog() + ".0.log");
    Await.until(
        () -> {
          String text;
          try {
            text = Files.exists(log) ? Files.readString(log) : "";
          } catch (IOException e) {
            return false;
          }
          return text.contains("logged-one \"GET /v1/workloads\" 200")
              && text.contains("logged-one \"POST /v1/workloads\" 403")
              && text.contains("127.0.0.1 - \"GET /v1/nodes\" 401");
        },
        "the request log names the token",
        10_000);
  }

  private static String csr(String cn) throws Exception {
    java.security.KeyPair pair = dev.berth.model.pki.CertificateAuthority.newKeyPair();
    return PemFiles.pem(
        new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(
                new org.bouncycastle.asn1.x500.X500Name("CN=" + cn), pair.getPublic())
            .build(
                new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                    .build(pair.getPrivate())));
  }

  private static String joinBody(String node, String csr, String addresses) {
    return JsonMapping.mapper()
        .createObjectNode()
        .put("node", node)
        .put("csr", csr)
        .toString()
        .replaceFirst("}$", ",\"addresses\":" + addresses + "}");
  }

  @Test
  void aJoinTokenGetsANodeItsCertificateAndNothingElse() throws Exception {
    var made = call("POST", "/v1/tokens", admin(), "{\"name\":\"join-one\",\"role\":\"join\"}");
    assertEquals(201, made.statusCode(), made.body());
    String join = JsonMapping.mapper().readTree(made.body()).get("token").asText();
    assertTrue(
        call("GET", "/v1/tokens", admin(), null)
            .body()
            .matches("(?s).*join-one.*\"expiresMillis\":[1-9].*"),
        "a join token expires (a day) unless told otherwise");

    var joined =
        call("POST", "/v1/nodes/join", join, joinBody("node-x", csr("ignored"), "[\"10.9.8.7\"]"));
    assertEquals(201, joined.statusCode(), joined.body());
    Path certFile = data.resolve("node-x.crt");
    Files.writeString(
        certFile, JsonMapping.mapper().readTree(joined.body()).get("certificate").asText());
    java.security.cert.X509Certificate cert = PemFiles.readCertificate(certFile);
    String subject = cert.getSubjectX500Principal().getName();
    assertTrue(subject.contains("CN=node-x") && subject.contains("O=berth:nodes"), subject);
    assertTrue(cert.getSubjectAlternativeNames().toString().contains("10.9.8.7"));
    cert.verify(PemFiles.readCertificate(access.caCert()).getPublicKey());
    assertEquals(
        "CN=node-x,O=berth:nodes",
        subject,
        "a node, never a control plane (whose O nodes and Kafka check)");
    try (org.apache.kafka.clients.admin.Admin admin =
        org.apache.kafka.clients.admin.Admin.create(
            dev.berth.model.fleet.KafkaClientConfig.admin(TestCredentials.kafka(access, broker)))) {
      assertTrue(
          admin
              .listTopics()
              .names()
              .get()
              .containsAll(List.of("berth.assignments.node-x", "berth.events.node-x")),
          "the join made the node's topics in Kafka");
    }

    // a join token joins, and does nothing else
    assertEquals(403, call("GET", "/v1/workloads", join, null).statusCode());
    assertEquals(
        403,
        call("POST", "/v1/nodes/join", token("op-joins", "operator"), joinBody("n", csr("n"), "[]"))
            .statusCode(),
        "an operator cannot mint node certificates");
    assertEquals(
        400,
        call("POST", "/v1/nodes/join", join, joinBody("node-y", "not a csr", "[]")).statusCode());
    assertEquals(
        400,
        call("POST", "/v1/nodes/join", join, joinBody("node-y", csr("y"), "[\"evil.example.com\"]"))
            .statusCode(),
        "addresses are IP literals");
    assertEquals(
        400, call("POST", "/v1/nodes/join", join, joinBody("Node Y", csr("y"), "[]")).statusCode());

    var brief =
        call(
            "POST",
            "/v1/tokens",
            admin(),
            "{\"name\":\"join-brief\",\"role\":\"join\",\"ttlSeconds\":1}");
    String expiring = JsonMapping.mapper().readTree(brief.body()).get("token").asText();
    TimeUnit.MILLISECONDS.sleep(1200);
    assertEquals(
        401,
        call("POST", "/v1/nodes/join", expiring, joinBody("late", csr("late"), "[]")).statusCode(),
        "an expired join token is no token");
  }

  @Test
  void onlyTlsFromAClientThatTrustsTheFleetsCaGetsAnAnswer() throws Exception {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(
        IOException.class,
        () ->
            plain.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + cp.apiPort() + "/v1/workloads"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Authorization", "Bearer " + admin())
                    .build(),
                HttpResponse.BodyHandlers.ofString()),
        "no answer in clear text");
    assertThrows(
        SSLHandshakeException.class,
        () ->
            plain.send(
                HttpRequest.newBuilder(URI.create(api + "/v1/workloads"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString()),
        "the system's roots do not vouch for the fleet's API");
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(data.resolve("pki/admin.token"))));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("pki/ca.key"))));
    JsonNode who = JsonMapping.mapper().readTree(call("GET", "/v1/whoami", admin(), null).body());
    assertEquals("admin", who.get("role").asText());
  }
}
