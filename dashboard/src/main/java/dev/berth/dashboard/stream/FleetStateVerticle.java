package dev.berth.dashboard.stream;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.map.listener.EntryAddedListener;
import com.hazelcast.map.listener.EntryEvictedListener;
import com.hazelcast.map.listener.EntryExpiredListener;
import com.hazelcast.map.listener.EntryRemovedListener;
import com.hazelcast.map.listener.EntryUpdatedListener;
import dev.berth.controlplane.ControlPlaneEvents;
import dev.berth.controlplane.specs.WorkloadStore;
import dev.berth.model.fleet.ContainerReport;
import dev.berth.model.fleet.ContainerSample;
import dev.berth.model.fleet.FleetMaps;
import dev.berth.model.fleet.KafkaAccess;
import dev.berth.model.fleet.NodeRecord;
import dev.berth.model.fleet.SchedulingStatus;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.DeliveryOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Keeps one {@link FleetState} per control-plane process and publishes its changes to the watchers:
 * Hazelcast entry listeners on the nodes, containers, scheduling and samples maps, the workload
 * store (on every local apply, and each {@link #WORKLOADS_MILLIS} for other control planes'), and
 * one Kafka consumer of every events topic ({@link FleetEventsFeed}). Listener callbacks arrive on
 * Hazelcast's threads and are handed to this verticle's event loop, which alone touches the state.
 */
public final class FleetStateVerticle extends AbstractVerticle {
  private static final Logger LOG = Logger.getLogger(FleetStateVerticle.class.getName());
  static final long WORKLOADS_MILLIS = 500;
  static final long LEASES_MILLIS = 1000;
  static final int LEASE_REPORT_TICKS = 5;
  private long leaseTicks;
  static final long SNAPSHOT_REUSE_MILLIS = 1000;
  // The last snapshot asked for (written on a worker), its seq and when it was taken.
  private Future<String> snapshot;
  private long seq = -1;
  private long snapshotAt;

  private final HazelcastInstance fleetView;
  private final WorkloadStore store;
  private final KafkaAccess kafka;
  private final FleetState state = new FleetState();
  private final List<Runnable> unlisten = new ArrayList<>();
  private WorkerExecutor workers;
  private FleetEventsFeed events;
  private boolean refreshing;

  /** {@code kafka}: null for no events (tests of the maps alone). */
  public FleetStateVerticle(HazelcastInstance fleetView, WorkloadStore store, KafkaAccess kafka) {
    this.fleetView = fleetView;
    this.store = store;
    this.kafka = kafka;
  }

  @Override
  public void start(Promise<Void> started) {
    workers = vertx.createSharedWorkerExecutor("berth-dashboard", 2);
    Context loop = context;
    vertx
        .eventBus()
        .<Void>localConsumer(
            DashboardAddresses.SNAPSHOT,
            m -> {
              Future<String> made = snapshot();
              long at = seq; // the seq of the state it was taken from
              made.onSuccess(
                      json ->
                          m.reply(json, new DeliveryOptions().addHeader("seq", Long.toString(at))))
                  .onFailure(e -> m.fail(500, e.getMessage()));
            });
    vertx
        .eventBus()
        .<String>localConsumer(
            DashboardAddresses.LAST_SAMPLE,
            m -> {
              ContainerSample s = state.sample(m.body());
              m.reply(s == null ? null : FleetState.sampleMessage(s));
            });
    vertx
        .eventBus()
        .<String>localConsumer(ControlPlaneEvents.WORKLOADS_CHANGED, m -> refreshWorkloads());
    vertx.setPeriodic(WORKLOADS_MILLIS, t -> refreshWorkloads());
    vertx.setPeriodic(
        LEASES_MILLIS,
        t -> {
          state.checkLeases(System.currentTimeMillis()).forEach(this::publish);
          if (++leaseTicks % LEASE_REPORT_TICKS == 0) {
            publish(state.leases(), -1);
          }
        });
    Future<Void> maps =
        workers.executeBlocking(
            () -> {
              follow(
                  loop,
                  FleetMaps.NODES,
                  (String k, NodeRecord v) -> publish(state.putNode(v, System.currentTimeMillis())),
                  k -> publish(state.removeNode(k)));
              follow(
                  loop,
                  FleetMaps.CONTAINERS,
                  (String k, ContainerReport v) -> publish(state.putContainer(v)),
                  k -> publish(state.removeContainer(k)));
              follow(
                  loop,
                  FleetMaps.SCHEDULING,
                  (String k, SchedulingStatus v) -> publish(state.putStatus(v)),
                  k -> publish(state.removeStatus(k)));
              follow(loop, FleetMaps.SAMPLES, (String k, ContainerSample v) -> sample(v), k -> {});
              return null;
            },
            false);
    Future<Void> feed =
        kafka == null
            ? Future.succeededFuture()
            : (events = new FleetEventsFeed(vertx, kafka, "berth-dashboard-" + UUID.randomUUID()))
                .start(e -> publish(state.addEvent(e)));
    maps.compose(v -> feed).onComplete(started);
    refreshWorkloads();
  }

  /**
   * Listens to map {@code name} first, then reads what it holds, so no change falls between the
   * two; a key a listener has already spoken of is not overwritten by the older read.
   */
  private <V> void follow(
      Context loop, String name, BiConsumer<String, V> put, Consumer<String> remove) {
    IMap<String, V> map = fleetView.getMap(name);
    Set<String> heard = new HashSet<>(); // touched on the loop only
    MapListener<V> listener =
        new MapListener<>(
            (k, v) ->
                loop.runOnContext(
                    x -> {
                      heard.add(k);
                      put.accept(k, v);
                    }),
            k ->
                loop.runOnContext(
                    x -> {
                      heard.add(k);
                      remove.accept(k);
                    }));
    var id = map.addEntryListener(listener, true);
    unlisten.add(() -> map.removeEntryListener(id));
    Map<String, V> now = Map.copyOf(map);
    loop.runOnContext(
        x ->
            now.forEach(
                (k, v) -> {
                  if (!heard.contains(k)) {
                    put.accept(k, v);
                  }
                }));
  }

  /**
   * The snapshot, taken again only when something changed or its events window moved a second:
   * watchers that connect together (a dashboard's reconnect wave) share one, even while it is being
   * written. It is taken on the loop (references to immutable records) and written to JSON on a
   * worker: at 10,000 containers that is tens of milliseconds the loop would not fan changes out.
   */
  private Future<String> snapshot() {
    long now = System.currentTimeMillis();
    if (snapshot == null
        || seq != state.seq()
        || now - snapshotAt > SNAPSHOT_REUSE_MILLIS
        || snapshot.failed()) {
      FleetState.Snapshot taken = state.snapshot(now);
      seq = taken.seq();
      snapshotAt = now;
      snapshot = workers.executeBlocking(taken::json, false);
    }
    return snapshot;
  }

  private void refreshWorkloads() {
    if (refreshing) {
      return;
    }
    refreshing = true;
    workers
        .executeBlocking(store::list, false)
        .onComplete(
            r -> {
              refreshing = false;
              if (r.succeeded()) {
                state.setWorkloads(r.result()).forEach(this::publish);
              } else {
                LOG.warning("cannot read workloads for the dashboard: " + r.cause().getMessage());
              }
            });
  }

  private void sample(ContainerSample s) {
    vertx
        .eventBus()
        .publish(
            DashboardAddresses.SAMPLES,
            state.putSample(s),
            new DeliveryOptions()
                .setLocalOnly(true)
                .addHeader("container", s.containerId())
                .addHeader("node", String.valueOf(s.node())));
  }

  private void publish(FleetState.Change change) {
    if (change != null) {
      publish(change.json(), change.seq());
    }
  }

  /** {@code seq} in a header, so a watcher can drop what its snapshot already had. */
  private void publish(String message, long seq) {
    vertx
        .eventBus()
        .publish(
            DashboardAddresses.CHANGES,
            message,
            new DeliveryOptions().setLocalOnly(true).addHeader("seq", Long.toString(seq)));
  }

  @Override
  public void stop(Promise<Void> stopped) {
    Future<Void> feedStopped = events == null ? Future.succeededFuture() : events.stop();
    feedStopped
        .compose(
            v ->
                workers.executeBlocking(
                    () -> {
                      unlisten.forEach(Runnable::run);
                      return null;
                    },
                    false))
        .onComplete(
            r -> {
              workers.close();
              stopped.complete();
            });
  }

  /** A Hazelcast entry listener handing every kind of change to two callbacks. */
  private record MapListener<V>(BiConsumer<String, V> put, Consumer<String> remove)
      implements EntryAddedListener<String, V>,
          EntryUpdatedListener<String, V>,
          EntryRemovedListener<String, V>,
          EntryExpiredListener<String, V>,
          EntryEvictedListener<String, V> {
    @Override
    public void entryAdded(EntryEvent<String, V> e) {
      put.accept(e.getKey(), e.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, V> e) {
      put.accept(e.getKey(), e.getValue());
    }

    @Override
    public void entryRemoved(EntryEvent<String, V> e) {
      remove.accept(e.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, V> e) {
      remove.accept(e.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, V> e) {
      remove.accept(e.getKey());
    }
  }
}
