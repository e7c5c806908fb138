package dev.berth.model.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  private static final String HEX = "a".repeat(64);

  @Test
  void aBareNameGetsTheDefaultRegistryLibraryAndLatest() {
    ImageReference r = ImageReference.parse("busybox");
    assertEquals("docker.io", r.registry());
    assertEquals("library/busybox", r.repository());
    assertEquals("latest", r.tag());
    assertEquals("docker.io/library/busybox:latest", r.toString());
  }

  @Test
  void aNamespacedNameKeepsItsNamespace() {
    ImageReference r = ImageReference.parse("library/busybox:1.36");
    assertEquals("library/busybox", r.repository());
    assertEquals("1.36", r.tag());
    assertEquals("docker.io/team/app:v1", ImageReference.parse("team/app:v1").toString());
  }

  @Test
  void aRegistryWithAPortAndADigest() {
    ImageReference r = ImageReference.parse("host:5000/team/app@sha256:" + HEX);
    assertEquals("host:5000", r.registry());
    assertEquals("team/app", r.repository());
    assertNull(r.tag());
    assertEquals("sha256:" + HEX, r.manifestReference());
  }

  @Test
  void localhostAndDottedHostsAreRegistries() {
    assertEquals("localhost", ImageReference.parse("localhost/app").registry());
    assertEquals("127.0.0.1:5000", ImageReference.parse("127.0.0.1:5000/app:1").registry());
    assertEquals("ghcr.io", ImageReference.parse("ghcr.io/org/tool:tag@sha256:" + HEX).registry());
  }

  @Test
  void malformedReferencesSayWhatIsWrong() {
    assertMessage("Busybox", "repository name must be lowercase");
    assertMessage("busybox:", "invalid tag \"\"");
    assertMessage("busybox@sha256:xyz", "invalid sha256 digest");
    assertMessage("busybox@md5:" + HEX, "unsupported digest algorithm \"md5\"");
    assertMessage("team//app", "invalid repository component \"\"");
    assertMessage("", "empty");
    assertMessage("host:5000/", "no repository name");
  }

  private static void assertMessage(String ref, String expected) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ImageReference.parse(ref));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}
