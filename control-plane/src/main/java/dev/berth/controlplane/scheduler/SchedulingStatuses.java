package dev.berth.controlplane.scheduler;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.SchedulingStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * Publishes each pass's outcome per workload in the map "scheduling", so that any control plane's
 * API can say why a replica has no node. Only what changed is written. Blocking: call from a
 * worker.
 */
public final class SchedulingStatuses {
  private final IMap<String, SchedulingStatus> map;
  private final Map<String, SchedulingStatus> last = new HashMap<>();

  public SchedulingStatuses(HazelcastInstance hazelcast) {
    this.map = hazelcast.getMap(FleetMaps.SCHEDULING);
  }

  /** Makes the map say {@code now}: changed statuses set, those of deleted workloads removed. */
  public synchronized void publish(Map<String, SchedulingStatus> now) {
    for (SchedulingStatus s : now.values()) {
      if (!s.equals(last.get(s.workload()))) {
        map.set(s.workload(), s);
      }
    }
    for (String gone : last.keySet()) {
      if (!now.containsKey(gone)) {
        map.delete(gone);
      }
    }
    last.clear();
    last.putAll(now);
  }
}
