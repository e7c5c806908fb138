package dev.berth.model.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.JsonMapping;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {
  private static List<String> errorsOf(String json) throws Exception {
    Spec spec = JsonMapping.mapper().readValue(json, Spec.class);
    return SpecValidator.validate(spec).stream()
        .map(ValidationError::toString)
        .collect(Collectors.toList());
  }

  private static final String MINIMAL_PROCESS = "\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\"}";

  @Test
  void aMinimalBundleIsValid() throws Exception {
    assertEquals(
        List.of(),
        errorsOf(
            "{\"ociVersion\":\"1.2.0\"," + MINIMAL_PROCESS + ",\"root\":{\"path\":\"rootfs\"}}"));
  }

  @Test
  void theSpecsExampleIsValid() throws Exception {
    Spec spec =
        JsonMapping.mapper()
            .readValue(getClass().getResourceAsStream("/runtime-spec-example.json"), Spec.class);
    assertEquals(List.of(), SpecValidator.validate(spec));
  }

  @Test
  void anUnknownNamespaceTypeIsReportedWithItsIndex() throws Exception {
    List<String> errors =
        errorsOf(
            "{\"ociVersion\":\"1.2.0\","
                + MINIMAL_PROCESS
                + ",\"root\":{\"path\":\"r\"},"
                + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"mount\"},{\"type\":\"foo\"}]}}");
    assertEquals(List.of("linux.namespaces[2].type: unknown namespace type \"foo\""), errors);
  }

  @Test
  void everyViolationIsReportedNotJustTheFirst() throws Exception {
    List<String> errors =
        errorsOf(
            "{\"ociVersion\":\"one\",\"process\":{\"args\":[],\"cwd\":\"relative\"},"
                + "\"root\":{\"path\":\"r\"},\"mounts\":[{\"destination\":\"proc\",\"type\":\"proc\"}],"
                + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"pid\"},{\"type\":\"user\"}]}}");
    assertTrue(
        errors.contains("ociVersion: \"one\" is not a SemVer 2.0.0 version"), errors.toString());
    assertTrue(errors.contains("process.args: must contain at least one entry"), errors.toString());
    assertTrue(
        errors.contains("process.cwd: \"relative\" must be an absolute path"), errors.toString());
    assertTrue(
        errors.contains("mounts[0].destination: \"proc\" must be an absolute path"),
        errors.toString());
    assertTrue(
        errors.contains("linux.namespaces[1].type: duplicate namespace type \"pid\""),
        errors.toString());
    assertTrue(
        errors.contains("linux.uidMappings: is required when a new user namespace is asked for"),
        errors.toString());
    assertTrue(
        errors.contains("linux.gidMappings: is required when a new user namespace is asked for"),
        errors.toString());
  }

  @Test
  void aHostnameNeedsAUtsNamespaceNewOrJoinedAsRuncAndCrunAccept() throws Exception {
    List<String> errors =
        errorsOf(
            "{\"ociVersion\":\"1.2.0\","
                + MINIMAL_PROCESS
                + ",\"root\":{\"path\":\"r\"},"
                + "\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"mount\"}]}}");
    assertEquals(
        List.of("hostname: requires a uts namespace in linux.namespaces (new or joined by path)"),
        errors);
    assertEquals(
        List.of(),
        errorsOf(
            "{\"ociVersion\":\"1.2.0\","
                + MINIMAL_PROCESS
                + ",\"root\":{\"path\":\"r\"},"
                + "\"hostname\":\"h\",\"linux\":{\"namespaces\":[{\"type\":\"uts\",\"path\":\"/proc/1/ns/uts\"}]}}"),
        "joined by path: set in the joined namespace");
  }

  @Test
  void badCapabilitiesRlimitsAndDevicesAreNamed() throws Exception {
    List<String> errors =
        errorsOf(
            "{\"ociVersion\":\"1.2.0\",\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\","
                + "\"capabilities\":{\"bounding\":[\"NET_ADMIN\"]},"
                + "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"soft\":10,\"hard\":5},{\"type\":\"RLIMIT_NOFILE\",\"soft\":1,\"hard\":1}]},"
                + "\"root\":{\"path\":\"r\"},\"linux\":{\"devices\":[{\"path\":\"/dev/x\",\"type\":\"q\"}]}}");
    assertTrue(
        errors.contains(
            "process.capabilities.bounding[0]: \"NET_ADMIN\" is not a capability name (CAP_*)"),
        errors.toString());
    assertTrue(errors.contains("process.rlimits[0].soft: is greater than hard"), errors.toString());
    assertTrue(
        errors.contains("process.rlimits[1].type: duplicate rlimit type \"RLIMIT_NOFILE\""),
        errors.toString());
    assertTrue(
        errors.contains("linux.devices[0].type: \"q\" is not one of c, b, u, p"),
        errors.toString());
  }
}
