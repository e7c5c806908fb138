package dev.berth.controlplane.kafka;

import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.KafkaClientConfig;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/**
 * Writes a set of records as one Kafka transaction: read_committed readers (every {@link
 * CompactedTopicView}) see all of them or none. Every instance with the same transactional id
 * fences the ones before it: a leader that lost its lease mid-write has its open transaction
 * aborted by the next leader's first use, so nothing it half-wrote is ever seen. Blocking: use it
 * on a worker, from one thread at a time.
 */
public final class TransactionalWriter implements AutoCloseable {
  /** How long a transaction may stay open before the broker aborts it (a stalled writer). */
  static final int TRANSACTION_TIMEOUT_MILLIS = 10_000;

  private final Properties config;
  private KafkaProducer<String, byte[]> producer;

  public TransactionalWriter(KafkaAccess kafka, String transactionalId) {
    this.config = KafkaClientConfig.durableProducer(kafka, 0);
    config.setProperty("transactional.id", transactionalId);
    config.setProperty("transaction.timeout.ms", Integer.toString(TRANSACTION_TIMEOUT_MILLIS));
  }

  /** Thrown when another writer with the same id took over: this one must stop writing. */
  public static final class FencedException extends RuntimeException {
    FencedException(String transactionalId, Throwable cause) {
      super(
          "another control plane took over transactional id "
              + transactionalId
              + ": this one no longer writes",
          cause);
    }
  }

  /**
   * Writes {@code records} in one transaction, {@code beforeCommit} run after they were sent and
   * before the commit; the offset of the last record, or -1 when there were none.
   */
  public synchronized long write(
      List<ProducerRecord<String, byte[]>> records, Runnable beforeCommit) {
    if (records.isEmpty()) {
      return -1;
    }
    KafkaProducer<String, byte[]> p = producer();
    try {
      p.beginTransaction();
      Future<RecordMetadata> last = null;
      for (ProducerRecord<String, byte[]> r : records) {
        last = p.send(r);
      }
      long offset = last.get().offset();
      beforeCommit.run();
      p.commitTransaction();
      return offset;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discard();
      throw new IllegalStateException("interrupted writing a transaction", e);
    } catch (ExecutionException | KafkaException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      discard(); // aborts what was sent: nothing of this set is seen
      if (fenced(cause)) {
        throw new FencedException(config.getProperty("transactional.id"), cause);
      }
      throw new IllegalStateException(
          "writing a transaction of " + records.size() + " records: " + cause.getMessage(), cause);
    } catch (RuntimeException e) {
      discard();
      throw e;
    }
  }

  /**
   * Whether the broker refused a write because a newer holder of the id took over (the fencing
   * error, or the epoch error of transactions v2).
   */
  private static boolean fenced(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes the transactional id now (a leader's first act): every earlier holder is fenced at once,
   * even before this one has anything to write, and whatever it left open is aborted. Without this,
   * a stalled old leader could still commit until the new one's first write.
   */
  public synchronized void claim() {
    discard();
    producer();
  }

  /**
   * Fetches the metadata of {@code topics} ahead of the first write, when this writer holds the id
   * (a writer that never claimed it does not take it for this).
   */
  public synchronized void warm(List<String> topics) {
    if (producer != null) {
      ProducerMetadataWarmup.warm(producer, topics);
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      KafkaProducer<String, byte[]> p = new KafkaProducer<>(config);
      try {
        p.initTransactions(); // fences, and aborts what an earlier holder of the id left open
      } catch (RuntimeException e) {
        p.close();
        throw e;
      }
      producer = p;
    }
    return producer;
  }

  /** Closes the producer (an open transaction is aborted); the next write starts a new one. */
  public synchronized void discard() {
    if (producer != null) {
      try {
        producer.close(java.time.Duration.ofSeconds(5));
      } finally {
        producer = null;
      }
    }
  }

  @Override
  public void close() {
    discard();
  }
}
