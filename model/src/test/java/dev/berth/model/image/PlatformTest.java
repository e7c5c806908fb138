package dev.berth.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Choosing an index's manifest for a platform, as containerd does; --platform text parsed or
 * refused.
 */
class PlatformTest {
  private static Descriptor manifestFor(String os, String arch, String variant, String digestHex) {
    return new Descriptor(
        MediaTypes.OCI_MANIFEST,
        Digest.parse("sha256:" + digestHex.repeat(64)),
        100L,
        null,
        null,
        Platform.of(os, arch, variant),
        null,
        null,
        null);
  }

  private final ImageIndex index =
      new ImageIndex(
          2,
          MediaTypes.OCI_INDEX,
          null,
          List.of(
              manifestFor("linux", "amd64", null, "a"),
              manifestFor("linux", "arm64", "v8", "b"),
              manifestFor("windows", "amd64", null, "c")),
          null,
          null,
          null);

  @Test
  void osAndArchitectureMustMatchAndTheVariantWhenAskedFor() {
    assertEquals(
        "a".repeat(64),
        index.manifestFor(Platform.of("linux", "amd64", null)).get().digest().encoded());
    assertEquals(
        "b".repeat(64),
        index.manifestFor(Platform.of("linux", "arm64", null)).get().digest().encoded());
    assertEquals(
        "b".repeat(64),
        index.manifestFor(Platform.parse("linux/arm64/v8")).get().digest().encoded());
    assertEquals(Optional.empty(), index.manifestFor(Platform.parse("linux/arm64/v7")));
    assertEquals(Optional.empty(), index.manifestFor(Platform.parse("linux/riscv64")));
  }

  @Test
  void theHostIsLinuxInTheImageSpecsArchitectureWords() {
    Platform host = Platform.host();
    assertEquals("linux", host.os());
    assertTrue(
        List.of("amd64", "arm64", "386", "ppc64le", "s390x", "riscv64")
            .contains(host.architecture()),
        host.architecture());
  }

  @Test
  void platformTextThatIsNotOsSlashArchIsRefused() {
    for (String bad : List.of("linux", "linux/", "/amd64", "linux/amd64/v8/extra", "")) {
      var e = assertThrows(IllegalArgumentException.class, () -> Platform.parse(bad));
      assertTrue(e.getMessage().contains("is not os/arch"), e.getMessage());
    }
    assertEquals("linux/arm64/v8", Platform.parse("linux/arm64/v8").toString());
  }
}
