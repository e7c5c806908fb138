package dev.berth.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.runtime.testing.BusyboxBundle;
import dev.berth.runtime.testing.RuntimeTestSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Each bad bundle or call gets an error that names the problem, and leaves no state, cgroup or
 * process.
 */
class BadInputTest extends RuntimeTestSupport {
  private String createFails(BusyboxBundle b, String expected) throws Exception {
    String id = newId("bad");
    ContainerException e =
        assertThrows(
            ContainerException.class,
            () -> runtime.create(id, b.dir(), CreateOptions.monitored(capture(id))));
    assertTrue(e.getMessage().contains(expected), "message: " + e.getMessage());
    assertNothingLeft(id);
    return e.getMessage();
  }

  private void assertNothingLeft(String id) {
    assertFalse(Files.exists(stateRoot.resolve(id)), "state directory left for " + id);
    for (Path dir : runtime.cgroups().containerView("/berth-" + id).values()) {
      assertFalse(Files.exists(dir), "cgroup left: " + dir);
    }
    assertEquals(List.of(), runtime.list());
    assertTrue(
        ProcessHandle.current()
            .children()
            .noneMatch(p -> p.info().command().orElse("").endsWith("berth-init")),
        "berth-init still running");
  }

  @Test
  void invalidJsonIsRefusedWithItsLocation() throws Exception {
    BusyboxBundle b = bundle("true");
    Files.writeString(
        b.dir().resolve("config.json"),
        "{\"ociVersion\": \"1.2.0\",\n \"process\": {\"args\": [\"sh\"]\n");
    String msg = createFails(b, "invalid JSON");
    assertTrue(msg.contains("config.json") && msg.contains("line 3"), msg);
  }

  @Test
  void aMissingRootfsIsNamed() throws Exception {
    BusyboxBundle b = bundle("true");
    BusyboxBundle.deleteTree(b.rootfs());
    createFails(b, "rootfs " + b.rootfs() + " does not exist");
  }

  @Test
  void anUnknownNamespaceTypeIsNamedWithItsPath() throws Exception {
    createFails(
        bundle("true")
            .edit(
                c -> ((ArrayNode) c.get("linux").get("namespaces")).addObject().put("type", "foo")),
        "linux.namespaces[6].type: unknown namespace type \"foo\"");
  }

  @Test
  void aRelativeMountDestinationIsNamed() throws Exception {
    createFails(
        bundle("true")
            .edit(
                c ->
                    ((ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "data")
                        .put("type", "tmpfs")
                        .put("source", "tmpfs")),
        "mounts[7].destination: \"data\" must be an absolute path");
  }

  @Test
  void aMountDestinationSymlinkLeadingOutOfTheRootfsIsRefused() throws Exception {
    BusyboxBundle b = bundle("true");
    Files.createSymbolicLink(b.rootfs().resolve("escape"), Path.of("../../../../../../../../etc"));
    createFails(
        b.edit(
            c ->
                ((ArrayNode) c.get("mounts"))
                    .addObject()
                    .put("destination", "/escape/x")
                    .put("type", "tmpfs")
                    .put("source", "tmpfs")),
        "leads out of the rootfs");
    assertFalse(Files.exists(Path.of("/etc/x")), "nothing may be created on the host");
  }

  @Test
  void anAbsoluteSymlinkStaysInsideTheRootfs() throws Exception {
    BusyboxBundle b = bundle("grep -c ' /real/data tmpfs' /proc/mounts");
    Files.createDirectories(b.rootfs().resolve("real"));
    Files.createSymbolicLink(b.rootfs().resolve("opt"), Path.of("/real"));
    Result r =
        run(
            b.edit(
                c ->
                    ((ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/opt/data")
                        .put("type", "tmpfs")
                        .put("source", "tmpfs")));
    assertEquals("1\n", r.stdout(), r.stderr());
    assertTrue(
        Files.isDirectory(b.rootfs().resolve("real/data")),
        "the link was followed inside the rootfs");
  }

  @Test
  void anIdAlreadyInUseIsRefusedAndTheFirstContainerIsUntouched() throws Exception {
    String id = newId("dup");
    runtime.create(id, bundle("sleep 30").dir(), CreateOptions.monitored(capture(id)));
    ContainerException e =
        assertThrows(
            ContainerException.class,
            () ->
                runtime.create(
                    id, bundle("true").dir(), CreateOptions.monitored(capture(id + "b"))));
    assertTrue(
        e.getMessage().contains("container with id \"" + id + "\" already exists"), e.getMessage());
    assertEquals("created", runtime.state(id).status());
  }

  @Test
  void anUnknownIdIsNamed() {
    for (var call :
        List.<Executable>of(
            () -> runtime.state("nope"),
            () -> runtime.start("nope"),
            () -> runtime.kill("nope", 9, false),
            () -> runtime.delete("nope", true),
            () -> runtime.pause("nope"),
            () -> runtime.ps("nope"))) {
      ContainerException e = assertThrows(ContainerNotFoundException.class, call);
      assertEquals("container \"nope\" does not exist", e.getMessage());
    }
  }

  @Test
  void anInvalidIdIsRefused() {
    ContainerException e =
        assertThrows(
            ContainerException.class,
            () ->
                runtime.create(
                    "../evil", bundle("true").dir(), CreateOptions.monitored(capture("x"))));
    assertTrue(e.getMessage().contains("invalid container id"), e.getMessage());
  }

  @Test
  void aProgramThatDoesNotExistFailsAtCreate() throws Exception {
    createFails(
        bundle("true")
            .edit(c -> ((ObjectNode) c.get("process")).putArray("args").add("/no/such/program")),
        "exec /no/such/program: ENOENT");
  }

  @Test
  void anImpossibleLimitFailsAtCreateAndRemovesTheCgroup() throws Exception {
    createFails(
        bundle("true")
            .edit(
                c ->
                    ((ObjectNode) c.get("linux"))
                        .putObject("resources")
                        .putObject("cpu")
                        .put("cpus", "999")),
        "cpuset.cpus");
  }
}
