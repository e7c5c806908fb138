package dev.berth.agent.security;

import dev.berth.model.fleet.CapabilityChanges;
import dev.berth.model.fleet.SecurityContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a node allows the containers it runs, whatever their specs ask: the number of processes
 * (pids.max), with a default for specs that set none, so that one fork bomb cannot take the node
 * (as Podman's default pids limit and the kubelet's podPidsLimit); the capabilities: Docker's
 * default set unless the spec drops some, and only those a spec may add; a user namespace of its
 * own for every container, the host's ids only where the node allows them and a spec asks; and
 * privileged containers only where the node allows them and a spec asks.
 */
public record ContainerPolicy(
    int defaultPids,
    int maxPids,
    Set<String> defaultCapabilities,
    Set<String> addableCapabilities,
    boolean userNamespaces,
    boolean allowHostUsers,
    boolean allowPrivileged) {

  /** A policy without privileged containers. */
  public ContainerPolicy(
      int defaultPids,
      int maxPids,
      Set<String> defaultCapabilities,
      Set<String> addableCapabilities,
      boolean userNamespaces,
      boolean allowHostUsers) {
    this(
        defaultPids,
        maxPids,
        defaultCapabilities,
        addableCapabilities,
        userNamespaces,
        allowHostUsers,
        false);
  }

  /** The same policy, allowing the host's ids and privileged containers as told. */
  public ContainerPolicy allowing(boolean hostUsers, boolean privileged) {
    return new ContainerPolicy(
        defaultPids,
        maxPids,
        defaultCapabilities,
        addableCapabilities,
        userNamespaces,
        hostUsers || privileged,
        privileged);
  }

  /**
   * Whether a container whose spec says {@code context} is privileged; refused unless the node
   * allows it.
   */
  public boolean privileged(SecurityContext context) {
    if (context == null || !context.wantsPrivileged()) {
      return false;
    }
    if (!allowPrivileged) {
      throw new IllegalArgumentException(
          "securityContext.privileged: this node does not run privileged containers (its policy"
              + " does not allow them: berth agent --allow-privileged)");
    }
    return true;
  }

  /** Docker's default capability set (what images that switch users at start need). */
  public static final Set<String> DOCKER_DEFAULT_CAPABILITIES =
      Set.of(
          "CAP_CHOWN",
          "CAP_DAC_OVERRIDE",
          "CAP_FOWNER",
          "CAP_FSETID",
          "CAP_KILL",
          "CAP_SETGID",
          "CAP_SETUID",
          "CAP_SETPCAP",
          "CAP_NET_BIND_SERVICE",
          "CAP_NET_RAW",
          "CAP_SYS_CHROOT",
          "CAP_MKNOD",
          "CAP_AUDIT_WRITE",
          "CAP_SETFCAP");

  /**
   * Podman's default pids limit, a ceiling far above any ordinary workload, Docker's capabilities,
   * and nothing addable beyond them (a node that should allow more says so).
   */
  public static final ContainerPolicy DEFAULT =
      new ContainerPolicy(
          2048, 32768, DOCKER_DEFAULT_CAPABILITIES, DOCKER_DEFAULT_CAPABILITIES, true, false);

  /**
   * Whether a container whose spec says {@code context} gets a user namespace of its own: always on
   * a node that gives them, unless the spec asks for the host's ids and the node allows that.
   */
  public boolean userNamespace(SecurityContext context) {
    if (privileged(context)) {
      return false; // the host's capabilities, so the host's ids (as Kubernetes requires)
    }
    boolean hostUsers = context != null && context.wantsHostUsers();
    if (hostUsers && !allowHostUsers) {
      throw new IllegalArgumentException(
          "securityContext.hostUsers: this node runs every container in a user namespace of its"
              + " own (its policy does not allow the host's ids: berth agent --allow-host-users)");
    }
    return userNamespaces && !hostUsers;
  }

  /**
   * The pids limit for a container whose spec asks for {@code requested} (null: none); refused
   * above the node's maximum.
   */
  public int pids(Integer requested) {
    if (requested == null) {
      return defaultPids;
    }
    if (requested < 1) { // 0 would be "max" to the cgroup: no limit at all
      throw new IllegalArgumentException(
          "resources.limits.pids " + requested + " is not a limit (at least 1)");
    }
    if (requested > maxPids) {
      throw new IllegalArgumentException(
          "resources.limits.pids "
              + requested
              + " is more than this node allows a container ("
              + maxPids
              + ")");
    }
    return requested;
  }

  /**
   * A user or group id from a spec, checked again where it is used: the assignment came over Kafka,
   * and -1 would leave the process with the runtime's own id (root).
   */
  public static long id(Long requested, long fallback, String field) {
    if (requested == null) {
      return fallback;
    }
    if (requested < 0 || requested > MAX_ID) {
      throw new IllegalArgumentException(
          "securityContext." + field + " " + requested + " is not 0 to " + MAX_ID);
    }
    return requested;
  }

  /** The largest user or group id ((uid_t) -1 means "unchanged" to the kernel). */
  public static final long MAX_ID = 4_294_967_294L;

  /**
   * The capabilities of a container whose spec says {@code context} (null: nothing): the default
   * set, less what it drops ("ALL": every one), plus what it adds; an addition the node does not
   * allow is refused.
   */
  public List<String> capabilities(SecurityContext context) {
    CapabilityChanges changes = context == null ? null : context.capabilities();
    if (changes == null) {
      return List.copyOf(new TreeSet<>(defaultCapabilities));
    }
    Set<String> out = new TreeSet<>(defaultCapabilities);
    List<String> drop = changes.dropList();
    if (drop.contains("ALL")) {
      out.clear();
    } else {
      drop.forEach(out::remove);
    }
    for (String add : changes.addList()) {
      if (!addableCapabilities.contains(add)) {
        throw new IllegalArgumentException(
            "securityContext.capabilities.add: "
                + add
                + " is not allowed on this node (it allows "
                + new TreeSet<>(addableCapabilities)
                + ")");
      }
      out.add(add);
    }
    return List.copyOf(out);
  }
}
