package dev.berth.model.fleet;

import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.berth.model.JsonMapping;
import dev.berth.model.gitops.GitSourceStatus;
import dev.berth.model.network.PodSubnetTable;
import java.io.IOException;

/**
 * How the fleet's records travel through Hazelcast: as JSON text (a stream serializer per record
 * type, with a fixed type id), read back with the same strict mapper as everything else, never as
 * Java-serialized objects; and Java deserialization refused outright, since a gadget chain on the
 * classpath would turn any such read into code run by whoever can write to the cluster. Members and
 * clients both apply it. (Not Compact: its schemas must be replicated to every member before a
 * write, which stalled writes while control planes were still forming their cluster.)
 */
public final class FleetSerialization {
  /** No class is this: the whitelist lets nothing through. */
  private static final String NOTHING =
      "dev.berth.model.fleet.FleetSerialization$NoJavaSerialization";

  private FleetSerialization() {}

  public static SerializationConfig configure(SerializationConfig config) {
    add(config, NodeRecord.class, 1001);
    add(config, ContainerReport.class, 1002);
    add(config, SchedulingStatus.class, 1003);
    add(config, PodSubnetTable.class, 1004);
    add(config, LeaseHolder.class, 1005);
    add(config, ContainerSample.class, 1006);
    add(config, GitSourceStatus.class, 1007);
    config.setJavaSerializationFilterConfig(
        new JavaSerializationFilterConfig()
            .setDefaultsDisabled(true)
            .setWhitelist(new ClassFilter().addClasses(NOTHING)));
    return config;
  }

  private static <T> void add(SerializationConfig config, Class<T> type, int id) {
    config.addSerializerConfig(
        new SerializerConfig().setTypeClass(type).setImplementation(new Json<>(type, id)));
  }

  /** A record as its JSON text. */
  static final class Json<T> implements StreamSerializer<T> {
    private final Class<T> type;
    private final int id;

    Json(Class<T> type, int id) {
      this.type = type;
      this.id = id;
    }

    @Override
    public void write(ObjectDataOutput out, T object) throws IOException {
      out.writeString(JsonMapping.mapper().writeValueAsString(object));
    }

    @Override
    public T read(ObjectDataInput in) throws IOException {
      String json = in.readString();
      if (json == null) {
        throw new IOException("a " + type.getSimpleName() + " in the fleet view is empty");
      }
      return JsonMapping.mapper().readValue(json, type);
    }

    @Override
    public int getTypeId() {
      return id;
    }
  }
}
