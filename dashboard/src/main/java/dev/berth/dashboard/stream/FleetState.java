package dev.berth.dashboard.stream;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.controlplane.api.WorkloadViews;
import dev.berth.model.JsonMapping;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerSample;
import dev.berth.model.fleet.FleetEvent;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.fleet.SchedulingStatus;
import dev.berth.model.fleet.StoredWorkload;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fleet as the dashboard shows it (nodes, workloads with their scheduling status, containers,
 * recent events, each container's last sample), changed only through methods that return the change
 * as a watch message (JSON text), or null when nothing a viewer sees changed: a node's lease
 * renewal alone is not a change, its going from alive to lost is. Every message carries the next
 * sequence number, so a watcher can tell which changes a snapshot already holds. Not thread-safe:
 * one event loop owns it.
 */
public final class FleetState {
  private final Map<String, NodeRecord> nodes = new TreeMap<>();
  private final Map<String, Boolean> alive = new HashMap<>();
  private final Map<String, StoredWorkload> workloads = new TreeMap<>();
  private final Map<String, SchedulingStatus> statuses = new HashMap<>();
  private final Map<String, ContainerReport> containers = new TreeMap<>();
  private final Map<String, ContainerSample> samples = new HashMap<>();
  private final EventHistory events = new EventHistory();
  private long seq;

  /** A change as its watch message, and its sequence number. */
  public record Change(long seq, String json) {}

  /** The sequence number of the last change. */
  public long seq() {
    return seq;
  }

  public Change putNode(NodeRecord n, long nowMillis) {
    NodeRecord before = nodes.put(n.name(), n);
    boolean isAlive = n.alive(nowMillis);
    Boolean wasAlive = alive.put(n.name(), isAlive);
    if (before != null
        && wasAlive != null
        && wasAlive == isAlive
        && withoutLease(before).equals(withoutLease(n))) {
      return null; // a renewal: the lease age is the browser's to count
    }
    return change("node", "put", n.name(), node(n, isAlive));
  }

  public Change removeNode(String name) {
    alive.remove(name);
    return nodes.remove(name) == null ? null : change("node", "delete", name, null);
  }

  /** Nodes whose lease ran out (or came back) since the last look, as changes. */
  public List<Change> checkLeases(long nowMillis) {
    return nodes.values().stream()
        .filter(n -> n.alive(nowMillis) != alive.getOrDefault(n.name(), false))
        .map(
            n -> {
              alive.put(n.name(), n.alive(nowMillis));
              return change("node", "put", n.name(), node(n, n.alive(nowMillis)));
            })
        .toList();
  }

  public Change putContainer(ContainerReport c) {
    ContainerReport before = containers.put(c.containerId(), c);
    return c.equals(before)
        ? null
        : change("container", "put", c.containerId(), JsonMapping.mapper().valueToTree(c));
  }

  public Change removeContainer(String id) {
    samples.remove(id);
    return containers.remove(id) == null ? null : change("container", "delete", id, null);
  }

  /** Makes the workloads {@code current}: one change for each added, changed or gone. */
  public List<Change> setWorkloads(List<StoredWorkload> current) {
    List<Change> out = new java.util.ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (StoredWorkload w : current) {
      String name = w.spec().name();
      seen.add(name);
      StoredWorkload before = workloads.put(name, w);
      if (before == null || !sameGeneration(before, w)) {
        out.add(change("workload", "put", name, workload(w)));
      }
    }
    for (String name : List.copyOf(workloads.keySet())) {
      if (!seen.contains(name)) {
        workloads.remove(name);
        out.add(change("workload", "delete", name, null));
      }
    }
    return out;
  }

  public Change putStatus(SchedulingStatus s) {
    SchedulingStatus before = statuses.put(s.workload(), s);
    StoredWorkload w = workloads.get(s.workload());
    if (s.equals(before) || w == null) {
      return null;
    }
    return change("workload", "put", s.workload(), workload(w));
  }

  public Change removeStatus(String workload) {
    statuses.remove(workload);
    return null; // the workload's own removal says it
  }

  public Change addEvent(FleetEvent e) {
    events.add(e);
    return change("event", "add", null, JsonMapping.mapper().valueToTree(e));
  }

  /** A sample as its message; samples are not numbered (they go only to who asked for them). */
  public String putSample(ContainerSample s) {
    samples.put(s.containerId(), s);
    return sampleMessage(s);
  }

  /** A sample as its watch message. */
  public static String sampleMessage(ContainerSample s) {
    ObjectNode out = JsonMapping.mapper().createObjectNode();
    out.put("type", "sample");
    out.set("value", JsonMapping.mapper().valueToTree(s));
    return JsonMapping.writeCompact(out);
  }

  public ContainerSample sample(String containerId) {
    return samples.get(containerId);
  }

  /**
   * Everything a watcher starts from, taken as it is now (cheap: references to immutable records
   * and small per-node and per-workload trees), to be written out elsewhere.
   */
  public Snapshot snapshot(long nowMillis) {
    List<ObjectNode> n = new ArrayList<>(nodes.size());
    nodes.values().forEach(r -> n.add(node(r, r.alive(nowMillis))));
    List<ObjectNode> w = new ArrayList<>(workloads.size());
    workloads.values().forEach(x -> w.add(workload(x)));
    return new Snapshot(
        seq,
        nowMillis,
        n,
        w,
        List.copyOf(containers.values()),
        List.copyOf(events.recent(nowMillis)));
  }

  /** The fleet at {@code seq}; {@link #json()} writes it as the watch stream's first message. */
  public record Snapshot(
      long seq,
      long timeMillis,
      List<ObjectNode> nodes,
      List<ObjectNode> workloads,
      List<ContainerReport> containers,
      List<FleetEvent> events) {
    /**
     * Streamed, not built as a tree first: at 10,000 containers the tree cost more than the JSON.
     */
    public String json() {
      StringWriter text = new StringWriter(256 * (containers.size() + nodes.size()) + 1024);
      try (JsonGenerator out = JsonMapping.mapper().createGenerator(text)) {
        out.writeStartObject();
        out.writeStringField("type", "snapshot");
        out.writeNumberField("seq", seq);
        out.writeNumberField("timeMillis", timeMillis);
        writeArray(out, "nodes", nodes);
        writeArray(out, "workloads", workloads);
        writeArray(out, "containers", containers);
        writeArray(out, "events", events);
        out.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException("writing the fleet snapshot", e);
      }
      return text.toString();
    }

    private static void writeArray(JsonGenerator out, String name, List<?> items)
        throws IOException {
      out.writeArrayFieldStart(name);
      for (Object item : items) {
        out.writeObject(item);
      }
      out.writeEndArray();
    }
  }

  private Change change(String type, String op, String key, JsonNode value) {
    ObjectNode out = JsonMapping.mapper().createObjectNode();
    out.put("type", type);
    out.put("op", op);
    out.put("seq", ++seq);
    if (key != null) {
      out.put("key", key);
    }
    if (value != null) {
      out.set("value", value);
    }
    return new Change(seq, JsonMapping.writeCompact(out));
  }

  /**
   * Every node's lease expiry, as one unnumbered message: renewals are not changes, but the browser
   * shows how fresh each lease is.
   */
  public String leases() {
    ObjectNode out = JsonMapping.mapper().createObjectNode();
    out.put("type", "leases");
    ObjectNode l = out.putObject("leases");
    nodes.values().forEach(n -> l.put(n.name(), n.leaseExpiresAtMillis()));
    return JsonMapping.writeCompact(out);
  }

  private ObjectNode workload(StoredWorkload w) {
    return WorkloadViews.withStatus(WorkloadViews.describe(w), w, statuses.get(w.spec().name()));
  }

  private static ObjectNode node(NodeRecord n, boolean isAlive) {
    ObjectNode out = JsonMapping.mapper().valueToTree(n);
    out.put("alive", isAlive);
    return out;
  }

  private static boolean sameGeneration(StoredWorkload a, StoredWorkload b) {
    return a.generation() == b.generation() && Objects.equals(a.spec(), b.spec());
  }

  private static NodeRecord withoutLease(NodeRecord n) {
    return new NodeRecord(
        n.name(),
        n.cpuMillis(),
        n.memoryBytes(),
        n.allocatableCpuMillis(),
        n.allocatableMemoryBytes(),
        n.labels(),
        0,
        n.apiAddress(),
        n.address(),
        n.podSubnet());
  }
}
