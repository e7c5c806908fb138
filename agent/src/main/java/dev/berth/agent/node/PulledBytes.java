package dev.berth.agent.node;

import dev.berth.agent.images.registry.PullProgress;
import dev.berth.model.image.Digest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the bytes the node pulls from registries (berth_agent_image_pull_bytes_total) from pull
 * progress.
 */
final class PulledBytes implements PullProgress {
  private final Counter bytes;
  private final Map<Digest, Long> seen = new ConcurrentHashMap<>();

  PulledBytes(MeterRegistry metrics) {
    this.bytes =
        Counter.builder("berth_agent_image_pull_bytes")
            .description("bytes pulled from registries")
            .baseUnit("bytes")
            .register(metrics);
  }

  @Override
  public void update(Digest blob, long done, long total) {
    long before = seen.getOrDefault(blob, 0L);
    if (done > before) {
      bytes.increment(done - before);
      seen.put(blob, done);
    }
    if (total > 0 && done >= total) {
      seen.remove(blob);
    }
  }
}
