package dev.berth.model.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadSpecsTest {
  private static WorkloadSpec json(String s) throws Exception {
    return WorkloadSpecs.read(s.getBytes(StandardCharsets.UTF_8), false);
  }

  private static String errorOf(String s, boolean yaml) {
    return assertThrows(
            WorkloadSpecs.InvalidWorkloadException.class,
            () -> WorkloadSpecs.read(s.getBytes(StandardCharsets.UTF_8), yaml))
        .getMessage();
  }

  @Test
  void aYamlSpecReadsIntoTheSameSpecAsItsJson() throws Exception {
    String yaml =
        """
        name: web
        image: 127.0.0.1:5000/demo/web:1
        args: ["httpd", "-f"]
        env: {MODE: prod}
        replicas: 3
        resources:
          requests: {cpu: 250m, memory: 64Mi}
          limits: {cpu: "1", memory: 128Mi}
        restartPolicy: OnFailure
        restartLimit: 5
        nodeSelector: {zone: a}
        """;
    WorkloadSpec fromYaml = WorkloadSpecs.read(yaml.getBytes(StandardCharsets.UTF_8), true);
    assertEquals(3, fromYaml.replicaCount());
    assertEquals(RestartPolicy.OnFailure, fromYaml.restartPolicy());
    WorkloadSpec fromJson =
        json(new String(WorkloadSpecs.canonicalJson(fromYaml), StandardCharsets.UTF_8));
    assertEquals(fromYaml, fromJson);
    assertArrayEquals(
        WorkloadSpecs.canonicalJson(fromYaml),
        WorkloadSpecs.canonicalJson(fromJson),
        "the same spec always has the same canonical bytes");
  }

  @Test
  void badSpecsNameTheirField() {
    assertTrue(
        errorOf("{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":\"three\"}", false)
            .startsWith("replicas:"));
    assertEquals(
        "replicas: must not be negative (got -1)",
        errorOf("{\"name\":\"web\",\"image\":\"busybox\",\"replicas\":-1}", false));
    assertTrue(
        errorOf("{\"name\":\"web\",\"image\":\"Not/Valid\"}", false)
            .startsWith(
                "image: invalid image reference \"Not/Valid\": repository name must be lowercase"));
    assertEquals(
        "colour: unknown field",
        errorOf("{\"name\":\"web\",\"image\":\"busybox\",\"colour\":\"red\"}", false));
    assertTrue(
        errorOf("name: web\nimage: busybox\nrestartPolicy: Sometimes\n", true)
            .startsWith("restartPolicy:"));
    assertTrue(errorOf("{\"name\":\"Web_1\",\"image\":\"busybox\"}", false).startsWith("name:"));
    assertTrue(
        errorOf(
                "{\"name\":\"web\",\"image\":\"busybox\",\"resources\":{\"requests\":{\"cpu\":\"lots\"}}}",
                false)
            .startsWith("resources.requests.cpu:"));
    assertTrue(errorOf("{not json", false).startsWith("(body): not valid JSON"));
    assertEquals(
        "resources.limits.pids: must be 2 to 4194304 (got 0)",
        errorOf(
            "{\"name\":\"web\",\"image\":\"busybox\",\"resources\":{\"limits\":{\"pids\":0}}}",
            false));
    assertTrue(
        errorOf(
                "{\"name\":\"web\",\"image\":\"busybox\",\"resources\":{\"requests\":{\"pids\":5}}}",
                false)
            .startsWith("resources.requests.pids:"));
    assertTrue(
        errorOf("{\"name\":\"solo\",\"image\":\"busybox\",\"replicaIdentity\":\"twice\"}", false)
            .startsWith("replicaIdentity:"));
    assertEquals(
        "securityContext.capabilities.add[0]: \"net admin\" is not a capability name",
        errorOf(
            "{\"name\":\"web\",\"image\":\"busybox\","
                + "\"securityContext\":{\"capabilities\":{\"add\":[\"net admin\"]}}}",
            false));
    assertEquals(
        "securityContext.runAsUser: must be 0 to 4294967294",
        errorOf(
            "{\"name\":\"web\",\"image\":\"busybox\",\"securityContext\":{\"runAsUser\":-1}}",
            false));
    assertTrue(
        errorOf(
                "{\"name\":\"web\",\"image\":\"busybox\","
                    + "\"securityContext\":{\"privileged\":true,\"hostUsers\":false}}",
                false)
            .startsWith(
                "securityContext.privileged: a privileged container runs with the host's ids"));
  }

  @Test
  void aSecurityContextReadsAsKubernetesWritesIt() throws Exception {
    WorkloadSpec s =
        WorkloadSpecs.read(
            ("name: web\nimage: busybox\nsecurityContext:\n  runAsUser: 1000\n"
                    + "  readOnlyRootFilesystem: true\n"
                    + "  capabilities: {drop: [ALL], add: [NET_BIND_SERVICE]}\n"
                    + "  privileged: true\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8),
            true);
    assertEquals(1000L, s.securityContext().runAsUser());
    assertTrue(s.securityContext().readOnlyRoot());
    assertEquals(List.of("ALL"), s.securityContext().capabilities().dropList());
    assertEquals(List.of("CAP_NET_BIND_SERVICE"), s.securityContext().capabilities().addList());
    assertTrue(s.securityContext().wantsPrivileged());
  }

  @Test
  void portsAndTheNetworkModeAreReadAndCheckedWithTheirPaths() throws Exception {
    WorkloadSpec ok =
        WorkloadSpecs.read(
            ("name: web\nimage: busybox\nnetwork: default\nports:\n"
                    + "  - {name: http, containerPort: 80, hostPort: 8080}\n"
                    + "  - {containerPort: 53, protocol: UDP}\n")
                .getBytes(),
            true);
    assertEquals(NetworkMode.DEFAULT, ok.networkMode());
    assertEquals(8080, ok.portList().get(0).hostPort());
    assertEquals("TCP", ok.portList().get(0).protocolOrTcp());
    assertEquals("UDP", ok.portList().get(1).protocolOrTcp());
    assertEquals(
        "ports[0].containerPort: must be 1 to 65535",
        errorOf("{\"name\":\"w\",\"image\":\"b\",\"ports\":[{\"containerPort\":0}]}", false));
    assertEquals(
        "ports[0].protocol: must be TCP or UDP",
        errorOf(
            "{\"name\":\"w\",\"image\":\"b\",\"ports\":[{\"containerPort\":80,\"protocol\":\"SCTP\"}]}",
            false));
    assertTrue(
        errorOf(
                "{\"name\":\"w\",\"image\":\"b\",\"ports\":[{\"containerPort\":80,\"hostPort\":80},"
                    + "{\"containerPort\":81,\"hostPort\":80}]}",
                false)
            .contains("ports[1].hostPort: 80/TCP is published twice"));
    assertTrue(
        errorOf("{\"name\":\"w\",\"image\":\"b\",\"network\":\"bridge\"}", false)
            .startsWith("network:"));
    assertTrue(
        errorOf("{\"name\":\"w\",\"image\":\"b\",\"network\":\"host\"}", false)
            .contains("host is not allowed"));
    assertEquals(
        "ports: hostPort needs network: default",
        errorOf(
            "{\"name\":\"w\",\"image\":\"b\",\"network\":\"none\",\"ports\":[{\"containerPort\":80,\"hostPort\":80}]}",
            false));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    String message = errorOf("{\"name\":\"-bad\",\"replicas\":-2}", false);
    assertTrue(
        message.contains("name:")
            && message.contains("image: is required")
            && message.contains("replicas:"),
        message);
  }

  @Test
  void quantitiesAreReadAsKubernetesWritesThem() {
    assertEquals(500, Quantity.millicores("500m"));
    assertEquals(1500, Quantity.millicores("1.5"));
    assertEquals(128L << 20, Quantity.bytes("128Mi"));
    assertEquals(1_000_000_000L, Quantity.bytes("1G"));
    assertEquals(4096, Quantity.bytes("4096"));
    for (String bad : List.of("", "1.5x", "-1", "Mi")) {
      assertThrows(IllegalArgumentException.class, () -> Quantity.bytes(bad), bad);
    }
  }
}
