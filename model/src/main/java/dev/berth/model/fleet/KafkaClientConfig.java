package dev.berth.model.fleet;

import java.util.Properties;

/**
 * How every Berth Kafka client is configured, in one place: keys are strings, values bytes (JSON);
 * writes are durable (acks=all, idempotent); consumers assign their partitions themselves and
 * commit nothing (each rebuilds its state from offset 0).
 */
public final class KafkaClientConfig {
  private static final String STRINGS = "org.apache.kafka.common.serialization.String";
  private static final String BYTES = "org.apache.kafka.common.serialization.ByteArray";

  private KafkaClientConfig() {}

  /**
   * A producer whose acknowledged writes survive a broker failure and are never duplicated by a
   * retry; {@code lingerMillis} trades latency for batching.
   */
  public static Properties durableProducer(KafkaAccess kafka, int lingerMillis) {
    Properties p = kafka.properties();
    p.setProperty("key.serializer", STRINGS + "Serializer");
    p.setProperty("value.serializer", BYTES + "Serializer");
    p.setProperty("acks", "all");
    p.setProperty("enable.idempotence", "true");
    p.setProperty("linger.ms", Integer.toString(lingerMillis));
    return p;
  }

  /**
   * A consumer of assigned partitions, read from where the caller seeks, committing nothing; it
   * reads committed records only, so a transaction that a fenced leader left open or that was
   * aborted is never seen (plain writes are visible at once, as before).
   */
  public static Properties assignedConsumer(KafkaAccess kafka) {
    Properties p = kafka.properties();
    p.setProperty("key.deserializer", STRINGS + "Deserializer");
    p.setProperty("value.deserializer", BYTES + "Deserializer");
    p.setProperty("enable.auto.commit", "false");
    p.setProperty("isolation.level", "read_committed");
    return p;
  }

  /** {@code base} with one setting more (for example fetch.max.wait.ms), for chaining. */
  public static Properties with(Properties base, String key, Object value) {
    base.setProperty(key, String.valueOf(value));
    return base;
  }

  /** An admin client's settings. */
  public static Properties admin(KafkaAccess kafka) {
    return kafka.properties();
  }
}
