package dev.berth.runtime.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.berth.model.runtime.DefaultSpec;
import dev.berth.model.runtime.Hook;
import dev.berth.model.runtime.Hooks;
import dev.berth.model.runtime.Spec;
import dev.berth.runtime.ContainerException;
import dev.berth.runtime.ContainerNotFoundException;
import dev.berth.runtime.files.FileTrees;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** State records as the lifecycle commands read them: what they need, the same as a full read. */
class StateStoreTest {
  private Path root;
  private StateStore store;

  @BeforeEach
  void setUp() throws Exception {
    root = Files.createTempDirectory("berth-state-test-");
    store = new StateStore(root);
  }

  @AfterEach
  void tearDown() throws Exception {
    FileTrees.delete(root);
  }

  private ContainerRecord record(String id, Spec config) {
    return new ContainerRecord(
        id,
        4242,
        987654321L,
        "/b/" + id,
        "/b/" + id + "/rootfs",
        "2026-12-07T00:00:00Z",
        "/berth-" + id,
        List.of("/berth-" + id),
        true,
        config);
  }

  @Test
  void aLifecycleReadGivesTheRecordsFieldsAndAnnotationsAsAFullReadDoes() throws Exception {
    Spec spec = DefaultSpec.create().withAnnotations(Map.of("org.example/a", "1", "b", "two"));
    store.claim("c1");
    store.write(record("c1", spec));
    ContainerRecord full = store.read("c1");
    ContainerRecord lean = store.readForLifecycle("c1");
    assertEquals(full.withConfig(null), lean.withConfig(null));
    assertEquals(full.config().annotations(), lean.config().annotations());
    assertEquals(full.config().ociVersion(), lean.config().ociVersion());
    assertNull(lean.config().process(), "the rest of the config is not read");
  }

  @Test
  void aConfigWithHooksIsReadWholeSoTheHooksRun() throws Exception {
    Hook hook = new Hook("/bin/true", List.of("true"), null, null, null);
    Spec d = DefaultSpec.create();
    Spec spec =
        new Spec(
            d.ociVersion(),
            d.process(),
            d.root(),
            d.hostname(),
            d.domainname(),
            d.mounts(),
            new Hooks(null, null, null, null, null, List.of(hook), null),
            d.annotations(),
            d.linux(),
            d.extra());
    store.claim("c2");
    store.write(record("c2", spec));
    ContainerRecord lean = store.readForLifecycle("c2");
    assertNotNull(lean.config().process(), "read whole");
    assertEquals(List.of(hook), lean.config().hooks().poststop());
  }

  @Test
  void aMissingOrBrokenRecordIsReportedByName() throws Exception {
    assertThrows(ContainerNotFoundException.class, () -> store.readForLifecycle("nobody"));
    store.claim("c3");
    Files.writeString(store.dirOf("c3").resolve("state.json"), "{\"id\": [");
    ContainerException e =
        assertThrows(ContainerException.class, () -> store.readForLifecycle("c3"));
    assertEquals(true, e.getMessage().contains("state.json"), e.getMessage());
  }
}
