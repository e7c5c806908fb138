package dev.berth.agent.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.berth.model.image.Digest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/**
 * The pull-bytes counter adds what each blob's progress moved, once, across blobs and repeated
 * updates.
 */
class PulledBytesTest {
  @Test
  void countsEachPulledByteOnce() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    PulledBytes pulls = new PulledBytes(registry);
    Digest a = Digest.sha256(new byte[] {1});
    Digest b = Digest.sha256(new byte[] {2});
    pulls.update(a, 100, 300);
    pulls.update(b, 50, 50);
    pulls.update(a, 100, 300); // the same progress reported again
    pulls.update(a, 300, 300);
    assertEquals(350.0, registry.get("berth_agent_image_pull_bytes").counter().count());
  }
}
