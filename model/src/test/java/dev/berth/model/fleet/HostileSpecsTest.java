package dev.berth.model.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Specs built to wedge the fleet, or that could never run, are refused with the field named: huge
 * counts, overflowing quantities, NULs, an empty program, unsettable variable names, loose JSON and
 * YAML that a lenient reader would take another way.
 */
class HostileSpecsTest {
  private static final String BASE = "\"name\":\"w\",\"image\":\"local/busybox:1\"";

  private static String refusedJson(String body) {
    return assertThrows(
            WorkloadSpecs.InvalidWorkloadException.class,
            () -> WorkloadSpecs.read(body.getBytes(StandardCharsets.UTF_8), false))
        .getMessage();
  }

  private static String refusedYaml(String body) {
    return assertThrows(
            WorkloadSpecs.InvalidWorkloadException.class,
            () -> WorkloadSpecs.read(body.getBytes(StandardCharsets.UTF_8), true))
        .getMessage();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "a billion replicas | ,\"replicas\":1000000000 | replicas: 1000000000 is more than",
        "one over the limit | ,\"replicas\":10001 | replicas: 10001 is more than",
        "replicas as a float | ,\"replicas\":1e9 | replicas",
        "replicas as 2.0 | ,\"replicas\":2.0 | replicas",
        "2^64+1 bytes of memory | ,\"resources\":{\"limits\":{\"memory\":\"18446744073709551617\"}} | resources.limits.memory: \"18446744073709551617\" is more memory",
        "16777217Ti | ,\"resources\":{\"limits\":{\"memory\":\"16777217Ti\"}} | resources.limits.memory",
        "18 quadrillion cores | ,\"resources\":{\"limits\":{\"cpu\":\"18000000000000000\"}} | resources.limits.cpu: \"18000000000000000\" is more CPU",
        "half a byte | ,\"resources\":{\"requests\":{\"memory\":\"0.5\"}} | is not a whole number of bytes",
        "a NUL in an arg | ,\"args\":[\"a\\u0000b\"] | args[0]: contains a NUL",
        "a NUL in an env value | ,\"env\":{\"A\":\"x\\u0000\"} | env.A: contains a NUL",
        "an empty program | ,\"command\":[\"\"] | command[0]: must name a program",
        "a variable name with a blank | ,\"env\":{\"A B\":\"1\"} | env.A B: is not a valid variable name",
        "a variable name with a digit first | ,\"env\":{\"1A\":\"1\"} | env.1A: is not a valid variable name",
        "a duplicate key | ,\"replicas\":1,\"replicas\":5 | Duplicate field 'replicas'",
        "trailing garbage | } {\"x\":1 | (body)",
        "a label value too long | ,\"nodeSelector\":{\"zone\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"} | nodeSelector.zone",
      })
  void isRefusedNamingTheField(String what, String extra, String expected) {
    String message = refusedJson("{" + BASE + extra + "}");
    assertTrue(message.contains(expected.strip()), what + ": " + message);
  }

  @Test
  void tooManyArgsOrTooMuchEnvIsRefusedWithTheLimit() {
    String args = "\"x\",".repeat(1100);
    String message = refusedJson("{" + BASE + ",\"args\":[" + args + "\"x\"]}");
    assertTrue(message.contains("more than 1024"), message);
    String big = "y".repeat(200 * 1024);
    message = refusedJson("{" + BASE + ",\"args\":[\"" + big + "\"]}");
    assertTrue(message.contains("args: command and args are"), message);
    message = refusedJson("{" + BASE + ",\"env\":{\"A\":\"" + big + "\",\"B\":\"" + big + "\"}}");
    assertTrue(message.contains("env: the variables are"), message);
  }

  @Test
  void limitsAreConfigurable() throws Exception {
    SpecLimits wide = SpecLimits.DEFAULT.withReplicas(100_000, 1_000_000);
    WorkloadSpec s =
        WorkloadSpecs.read(
            ("{" + BASE + ",\"replicas\":100000}").getBytes(StandardCharsets.UTF_8), false, wide);
    assertEquals(100_000, s.replicaCount());
  }

  @Test
  void yamlAliasesAnchorsAndExtraDocumentsAreRefused() {
    String aliases = "name: w\nimage: local/busybox:1\nenv: &e {A: \"1\"}\nnodeSelector: *e\n";
    assertTrue(refusedYaml(aliases).contains("anchors"), refusedYaml(aliases));
    String bomb = "name: w\nimage: local/busybox:1\nargs: [*a]\n";
    assertTrue(refusedYaml(bomb).contains("(body)"), refusedYaml(bomb));
    String two = "name: a\nimage: local/busybox:1\n---\nname: b\nimage: local/busybox:1\n";
    assertTrue(refusedYaml(two).contains("more than one YAML document"), refusedYaml(two));
    String dup = "name: a\nname: b\nimage: local/busybox:1\n";
    assertTrue(refusedYaml(dup).contains("name"), refusedYaml(dup));
  }
}
