package dev.berth.agent.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.agent.network.cni.CniConfigList;
import dev.berth.agent.network.cni.CniException;
import dev.berth.agent.network.cni.CniNetwork;
import dev.berth.agent.network.cni.CniPlugins;
import dev.berth.model.JsonMapping;
import dev.berth.model.concurrent.DaemonThreads;
import dev.berth.model.network.CniResult;
import dev.berth.model.network.PortMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;

/**
 * A node's container networking through CNI: each container gets a pinned network namespace with
 * its loopback up (the loopback plugin) and, unless it asks for none, an interface on the node's
 * network (the first config list in the config directory, as libcni picks it). Every attachment is
 * recorded before ADD, so DEL always follows, also after a crash. Blocking: call from a worker.
 */
public final class ContainerNetworks {
  public static final String IF_NAME = "eth0";
  private static final String LOOPBACK_JSON =
      "{\"cniVersion\":\"1.0.0\",\"name\":\"berth-loopback\",\"plugins\":[{\"type\":\"loopback\"}]}";

  /** How a container is networked. */
  public enum Mode {
    /** An interface on the node's network, its loopback up. */
    DEFAULT,
    /** Only its loopback, up. */
    NONE
  }

  private final CniPlugins plugins;
  private final CniConfigList network;
  private final CniConfigList loopback;
  private final String nodeName;
  private final NameServers nameServers;
  private final NetnsPins pins;
  private final UserModeNetwork userMode; // null: CNI only
  // Networks after the first are added on these threads while the first is added on the caller's.
  private final ExecutorService parallel = DaemonThreads.cached("berth-cni-parallel");

  public ContainerNetworks(CniPlugins plugins, CniConfigList network, String nodeName)
      throws CniException {
    this(plugins, network, nodeName, NameServers.NONE);
  }

  /**
   * With {@code nameServers} started on each network's gateway, for the containers' resolv.conf.
   */
  public ContainerNetworks(
      CniPlugins plugins, CniConfigList network, String nodeName, NameServers nameServers)
      throws CniException {
    this(plugins, network, nodeName, nameServers, NetnsPins.host(), null);
  }

  /**
   * For an agent in a user namespace of its own: namespaces pinned by {@code pins}, and {@code
   * userMode} (slirp4netns) instead of {@code network} for containers on the default network.
   */
  public static ContainerNetworks rootless(
      CniPlugins plugins, String nodeName, NetnsPins pins, UserModeNetwork userMode)
      throws CniException {
    return new ContainerNetworks(plugins, null, nodeName, NameServers.NONE, pins, userMode);
  }

  private ContainerNetworks(
      CniPlugins plugins,
      CniConfigList network,
      String nodeName,
      NameServers nameServers,
      NetnsPins pins,
      UserModeNetwork userMode)
      throws CniException {
    this.pins = pins;
    this.userMode = userMode;
    this.nameServers = nameServers;
    this.plugins = plugins;
    this.network = network;
    this.nodeName = nodeName;
    this.loopback =
        CniConfigList.parse(LOOPBACK_JSON.getBytes(StandardCharsets.UTF_8), "loopback", true);
  }

  /**
   * The node's network from {@code confDir}: the first {@code .conflist} or {@code .conf} in
   * lexical order, as libcni picks it; null when there is none. Its plugins must be installed.
   */
  public static CniConfigList firstNetwork(Path confDir, CniPlugins plugins) throws CniException {
    if (!Files.isDirectory(confDir)) {
      return null;
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(confDir)) {
      files =
          s.filter(p -> p.toString().endsWith(".conflist") || p.toString().endsWith(".conf"))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new CniException("cannot list network configs in " + confDir + ": " + e.getMessage());
    }
    if (files.isEmpty()) {
      return null;
    }
    CniConfigList list = CniConfigList.read(files.get(0));
    new CniNetwork(list, plugins).requirePlugins();
    return list;
  }

  /**
   * The name server a container attached as {@code a} should use: its gateway, once a server
   * answers there; null when it has none (no network, or this node runs no name server).
   */
  public String nameServerFor(NetworkAttachment a) throws IOException {
    String gateway = a.gateway();
    return gateway != null && nameServers.ensureOn(gateway) ? gateway : null;
  }

  /** Whether a container attached with {@code mode} gets the node's name server in resolv.conf. */
  public boolean mayServeNames(Mode mode) {
    return mode == Mode.DEFAULT && network != null && nameServers != NameServers.NONE;
  }

  /** The node's network, or null when containers get only their loopback. */
  public CniConfigList network() {
    return network;
  }

  /** Where a container's attachment is recorded, inside its (0700) bundle directory. */
  public static Path recordIn(Path bundle) {
    return bundle.resolve("network.json");
  }

  /**
   * Attaches a container: the namespace pinned, loopback up, the node's network (unless {@code
   * mode} is NONE) with {@code ports} published. On failure everything done so far is undone.
   */
  public NetworkAttachment attach(
      String containerId, Path record, Mode mode, List<PortMapping> ports)
      throws CniException, IOException {
    return add(pin(containerId, record, mode, ports));
  }

  /**
   * A container's namespace, pinned and recorded, that the plugins have not attached yet: the
   * container can be created in it while {@link #add} runs.
   */
  public record Pinned(NetworkAttachment attachment, Path record) {
    public String netns() {
      return attachment.netns();
    }
  }

  /**
   * The first half of {@link #attach}: records the attachment (before anything exists: a crash from
   * here on still ends in DEL) and pins the namespace.
   */
  public Pinned pin(String containerId, Path record, Mode mode, List<PortMapping> ports)
      throws IOException, CniException {
    List<ObjectNode> configs = new ArrayList<>(List.of(loopback.toJson()));
    if (mode == Mode.DEFAULT && network != null) {
      configs.add(network.toJson());
    }
    String netns = pins.path(netnsName(containerId)).toString();
    // the interface says which: slirp4netns's tap0 on the default network of a rootless agent
    String ifName = mode == Mode.DEFAULT && userMode != null ? UserModeNetwork.INTERFACE : IF_NAME;
    NetworkAttachment a = new NetworkAttachment(containerId, netns, ifName, configs, ports, null);
    save(record, a);
    try {
      pins.create(netnsName(containerId));
    } catch (IOException e) {
      undo(record, a, List.of(), List.of(), e);
      throw e;
    }
    return new Pinned(a, record);
  }

  /**
   * The second half of {@link #attach}: ADD of each network, all at once (they are independent:
   * each has its own interfaces in the namespace); on failure all is undone.
   */
  public NetworkAttachment add(Pinned pinned) throws CniException, IOException {
    NetworkAttachment a = pinned.attachment();
    List<ObjectNode> configs = a.networks();
    List<CompletableFuture<CniResult>> adds = new ArrayList<>();
    for (int i = 1; i < configs.size(); i++) {
      ObjectNode config = configs.get(i);
      NetworkAttachment at = a;
      adds.add(CompletableFuture.supplyAsync(() -> addOne(config, at), parallel));
    }
    List<CniResult> results = new ArrayList<>();
    List<ObjectNode> attached = new ArrayList<>();
    Exception failed = null;
    for (int i = 0; i < configs.size(); i++) {
      try {
        CniResult r =
            i == 0 ? network(configs.get(0), a).add(call(a), runtime(a)) : join(adds.get(i - 1));
        results.add(r);
        attached.add(configs.get(i));
      } catch (CniException | RuntimeException e) {
        if (e.getSuppressed().length > 0) {
          attached.add(configs.get(i)); // its own undo failed: DEL it again below
          results.add(null);
        }
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed == null && UserModeNetwork.INTERFACE.equals(a.ifName())) {
      try {
        userMode.attach(pinned.record(), a.netns(), a.ports());
      } catch (IOException e) {
        failed =
            new CniException("user-mode network of " + a.containerId() + ": " + e.getMessage());
      }
    }
    if (failed == null) {
      a =
          new NetworkAttachment(
              a.containerId(), a.netns(), a.ifName(), configs, a.ports(), results);
      save(pinned.record(), a);
      return a;
    }
    undo(pinned.record(), a, attached, results, failed);
    if (failed instanceof CniException c) {
      throw c;
    }
    throw (RuntimeException) failed;
  }

  private CniResult addOne(ObjectNode config, NetworkAttachment a) {
    try {
      return network(config, a).add(call(a), runtime(a));
    } catch (CniException e) {
      throw new CompletionException(e);
    }
  }

  private static CniResult join(CompletableFuture<CniResult> add) throws CniException {
    try {
      return add.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CniException c) {
        throw c;
      }
      throw e;
    }
  }

  /**
   * Detaches what an ADD that failed left: the networks in {@code attached} (a null result: one
   * whose own undo failed), then the namespace and the record.
   */
  private void undo(
      Path record,
      NetworkAttachment a,
      List<ObjectNode> attached,
      List<CniResult> results,
      Exception e) {
    try {
      save(
          record,
          new NetworkAttachment(
              a.containerId(), a.netns(), a.ifName(), attached, a.ports(), results));
      detach(record);
    } catch (CniException | IOException cleanup) {
      e.addSuppressed(cleanup);
    }
  }

  /** The recorded attachment, or null when the container has none. */
  public static NetworkAttachment read(Path record) throws IOException {
    if (!Files.exists(record)) {
      return null;
    }
    return JsonMapping.mapper().readValue(record.toFile(), NetworkAttachment.class);
  }

  /** CHECKs every network of an attachment (on adoption: is it still as recorded?). */
  public void check(NetworkAttachment a) throws CniException {
    List<ObjectNode> configs = a.networks();
    for (int i = 0; i < configs.size() && i < a.results().size(); i++) {
      network(configs.get(i), a).check(call(a), runtime(a), a.results().get(i));
    }
  }

  /**
   * Detaches the recorded attachment (DEL in reverse, with what ADD used), unpins the namespace and
   * drops the record; nothing when there is no record. The record stays when a DEL failed, so that
   * the next removal tries again.
   */
  public void detach(Path record) throws CniException, IOException {
    NetworkAttachment a = read(record);
    if (a == null) {
      return;
    }
    CniException failed = null;
    UserModeNetwork.detach(record);
    String pin = Path.of(a.netns()).getFileName().toString();
    // a rootless agent's namespace that ended with its old mount namespace: nothing to DEL
    List<ObjectNode> configs = pins.live(pin) || userMode == null ? a.networks() : List.of();
    for (int i = configs.size() - 1; i >= 0; i--) {
      CniResult result = i < a.results().size() ? a.results().get(i) : null;
      try {
        delWithRetries(configs.get(i), a, result);
      } catch (CniException e) {
        if (failed == null) {
          failed = e;
        } else {
          failed.addSuppressed(e);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
    pins.delete(pin);
    Files.deleteIfExists(record);
  }

  /** DEL tries before a removal gives up and keeps the record for the next one. */
  private static final int DEL_TRIES = 3;

  /**
   * One network's DEL, tried again after a short wait when it fails: the bridge plugin's iptables
   * calls fail now and then while another container's rules change (nf_tables "CHAIN_DEL failed
   * (Device or resource busy)"), and DEL is idempotent by the CNI spec, so a second try is safe.
   */
  private void delWithRetries(ObjectNode config, NetworkAttachment a, CniResult result)
      throws CniException {
    for (int attempt = 1; ; attempt++) {
      try {
        network(config, a).del(call(a), runtime(a), result);
        return;
      } catch (CniException e) {
        if (attempt >= DEL_TRIES) {
          throw e;
        }
        try {
          Thread.sleep(200L * attempt);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private CniNetwork network(ObjectNode config, NetworkAttachment a) throws CniException {
    byte[] json;
    try {
      json = JsonMapping.mapper().writeValueAsBytes(config);
    } catch (IOException e) {
      throw new CniException("cannot encode the network of " + a.containerId(), null, e);
    }
    return new CniNetwork(
        CniConfigList.parse(json, "the recorded network of " + a.containerId(), true), plugins);
  }

  private static CniPlugins.Call call(NetworkAttachment a) {
    return new CniPlugins.Call(a.containerId(), a.netns(), a.ifName(), "IgnoreUnknown=1");
  }

  private static CniNetwork.RuntimeConfig runtime(NetworkAttachment a) {
    return new CniNetwork.RuntimeConfig(a.ports());
  }

  /**
   * A namespace name unique to this node and container, within iproute2's and NAME_MAX's limits.
   */
  String netnsName(String containerId) {
    String name = "berth-" + nodeName + "-" + containerId;
    if (name.length() <= 200) {
      return name;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
      return "berth-" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void save(Path record, NetworkAttachment a) throws IOException {
    Path tmp = record.resolveSibling(record.getFileName() + ".tmp");
    Files.write(tmp, JsonMapping.mapper().writeValueAsBytes(a));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    Files.move(tmp, record, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
