package dev.berth.model.fleet;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.compact.CompactReader;
import com.hazelcast.nio.serialization.compact.CompactSerializer;
import com.hazelcast.nio.serialization.compact.CompactWriter;
import dev.berth.model.JsonMapping;
import dev.berth.model.network.PodSubnetTable;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * How the fleet's records travel through Hazelcast: as JSON in one field of a Compact record, read
 * back with the same strict mapper as everything else, never as Java-serialized objects; and Java
 * deserialization refused outright, since a gadget chain on the classpath would turn any such read
 * into code run by whoever can write to the cluster. Members and clients both apply it.
 */
public final class FleetSerialization {
  /** No class is this: the whitelist lets nothing through. */
  private static final String NOTHING =
      "dev.berth.model.fleet.FleetSerialization$NoJavaSerialization";

  private FleetSerialization() {}

  public static SerializationConfig configure(SerializationConfig config) {
    config
        .getCompactSerializationConfig()
        .addSerializer(new Json<>(NodeRecord.class, "berth.NodeRecord"))
        .addSerializer(new Json<>(ContainerReport.class, "berth.ContainerReport"))
        .addSerializer(new Json<>(SchedulingStatus.class, "berth.SchedulingStatus"))
        .addSerializer(new Json<>(PodSubnetTable.class, "berth.PodSubnetTable"));
    config.setJavaSerializationFilterConfig(
        new JavaSerializationFilterConfig()
            .setDefaultsDisabled(true)
            .setWhitelist(new ClassFilter().addClasses(NOTHING)));
    return config;
  }

  /** A record as a JSON string in the Compact field "json". */
  static final class Json<T> implements CompactSerializer<T> {
    private final Class<T> type;
    private final String name;

    Json(Class<T> type, String name) {
      this.type = type;
      this.name = name;
    }

    @Override
    public T read(CompactReader reader) {
      try {
        return JsonMapping.mapper().readValue(reader.readString("json"), type);
      } catch (IOException e) {
        throw new UncheckedIOException("a " + name + " in the fleet view is not valid", e);
      }
    }

    @Override
    public void write(CompactWriter writer, T object) {
      try {
        writer.writeString("json", JsonMapping.mapper().writeValueAsString(object));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public String getTypeName() {
      return name;
    }

    @Override
    public Class<T> getCompactClass() {
      return type;
    }
  }
}
