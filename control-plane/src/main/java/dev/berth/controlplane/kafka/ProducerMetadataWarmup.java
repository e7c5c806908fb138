package dev.berth.controlplane.kafka;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;

/**
 * Makes a producer learn many topics' metadata at once. Its first send to a topic waits for a
 * metadata round trip (some 30 ms), one topic at a time; the scheduler writes to a topic per node,
 * so a new leader's first pass over a thousand nodes would wait half a minute. Asking from many
 * threads lets each metadata request carry many topics.
 */
public final class ProducerMetadataWarmup {
  private static final int THREADS = 32;

  private ProducerMetadataWarmup() {}

  public static void warm(Producer<?, ?> producer, List<String> topics) {
    if (topics.size() < 2) {
      return;
    }
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, topics.size()));
    try {
      List<Future<?>> asks =
          topics.stream()
              .<Future<?>>map(t -> pool.submit(() -> producer.partitionsFor(t)))
              .toList();
      for (Future<?> f : asks) {
        f.get();
      }
    } catch (ExecutionException e) {
      // nothing learnt: the send that needs the topic waits for it, and fails with the reason
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      pool.shutdownNow();
    }
  }
}
