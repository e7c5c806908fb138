package dev.berth.controlplane.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.embedded.EmbeddedHazelcast;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.NodeRecord;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * What a client that joins the cluster without Berth's settings can do with a Java-serialized value
 * (the shape of every deserialization gadget): the fleet's readers refuse to deserialize it, so its
 * code never runs; Berth's own records travel as JSON and read back equal.
 */
class ForgedClusterWritesTest {
  /** Stands for a gadget: its readObject is where a gadget chain would start. */
  record Gadget(String payload) implements Serializable {
    static final AtomicBoolean RAN = new AtomicBoolean();

    private void readObject(ObjectInputStream in) {
      RAN.set(true);
    }
  }

  @Test
  void aJavaSerializedValueIsNeverDeserializedAndFleetRecordsAreJson() throws Exception {
    String cluster = "berth-forged-" + ProcessHandle.current().pid();
    HazelcastInstance member = EmbeddedHazelcast.start(cluster);
    HazelcastInstance attacker = null;
    try {
      ClientConfig plain = new ClientConfig(); // no Berth settings: Java serialization as shipped
      plain.setClusterName(cluster);
      plain.setProperty("hazelcast.phone.home.enabled", "false");
      plain
          .getNetworkConfig()
          .addAddress("127.0.0.1:" + member.getCluster().getLocalMember().getAddress().getPort());
      attacker = HazelcastClient.newHazelcastClient(plain);
      attacker.<String, Object>getMap(FleetMaps.NODES).put("evil", new Gadget("rm -rf /"));

      IMap<String, Object> nodes = member.getMap(FleetMaps.NODES);
      Exception refused = assertThrows(Exception.class, () -> nodes.get("evil"));
      assertTrue(
          String.valueOf(refused.getMessage()).contains("Gadget")
              || String.valueOf(refused.getCause()).contains("Gadget"),
          "refused by the filter, naming the class: " + refused);
      assertFalse(Gadget.RAN.get(), "the gadget's readObject never ran");
      nodes.delete("evil");

      NodeRecord n =
          new NodeRecord(
              "a", 1000, 1 << 30, 900, 1 << 29, Map.of("zone", "z"), 5, "127.0.0.1:1", null, null);
      member.<String, NodeRecord>getMap(FleetMaps.NODES).put("a", n);
      assertEquals(n, member.<String, NodeRecord>getMap(FleetMaps.NODES).get("a"));
    } finally {
      if (attacker != null) {
        attacker.shutdown();
      }
      member.shutdown();
    }
  }
}
