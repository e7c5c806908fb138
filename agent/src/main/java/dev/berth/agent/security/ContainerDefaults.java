package dev.berth.agent.security;

import dev.berth.model.fleet.SecurityContext;
import dev.berth.model.runtime.Capabilities;
import dev.berth.model.runtime.Cpu;
import dev.berth.model.runtime.Linux;
import dev.berth.model.runtime.Memory;
import dev.berth.model.runtime.Mount;
import dev.berth.model.runtime.Pids;
import dev.berth.model.runtime.Resources;
import dev.berth.model.runtime.Root;
import dev.berth.model.runtime.Spec;
import dev.berth.model.runtime.User;
import dev.berth.runtime.process.CapabilityNames;
import dev.berth.runtime.userns.HostUserNamespace;
import dev.berth.runtime.userns.IdRange;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Makes an image's runtime spec a container's, the one way fleet and local containers share: env
 * over the image's, limits, always a pids limit, the user and capabilities the policy allows,
 * Docker's default seccomp filter, a user namespace when given ids, and privileged only by policy.
 */
public final class ContainerDefaults {
  private static final Logger LOG = Logger.getLogger(ContainerDefaults.class.getName());
  private static final boolean ROOTFUL = HostUserNamespace.isInitial();
  private static final AtomicBoolean limitsWarned = new AtomicBoolean();

  private ContainerDefaults() {}

  /**
   * {@code spec} (from the image) with {@code settings} applied within {@code policy}; {@code ids}
   * are the host ids of the container's own user namespace (null: none).
   */
  public static Spec apply(
      Spec spec, ContainerSettings settings, ContainerPolicy policy, IdRange ids)
      throws IOException {
    List<String> env = new ArrayList<>(spec.process().env());
    if (settings.env() != null) {
      for (Map.Entry<String, String> e : settings.env().entrySet()) {
        env.removeIf(kv -> kv.startsWith(e.getKey() + "="));
        env.add(e.getKey() + "=" + e.getValue());
      }
    }
    Resources resources =
        spec.linux().resources() == null ? Resources.none() : spec.linux().resources();
    if (settings.memoryLimitBytes() != null) {
      resources = resources.withMemory(Memory.limitWithoutSwap(settings.memoryLimitBytes()));
    }
    if (settings.cpuLimitMillis() != null) {
      resources = resources.withCpu(Cpu.millicores(settings.cpuLimitMillis()));
    }
    // Always a pids limit: without one a fork bomb in any container takes the node.
    resources = resources.withPids(new Pids((long) policy.pids(settings.pidsLimit()), null));
    Map<String, String> annotations = new LinkedHashMap<>();
    if (spec.annotations() != null) {
      annotations.putAll(spec.annotations());
    }
    if (settings.annotations() != null) {
      annotations.putAll(settings.annotations());
    }
    SecurityContext sc = settings.securityContext();
    User image = spec.process().user();
    long uid = ContainerPolicy.id(sc == null ? null : sc.runAsUser(), image.uid(), "runAsUser");
    long gid = ContainerPolicy.id(sc == null ? null : sc.runAsGroup(), image.gid(), "runAsGroup");
    User user = new User(uid, gid, image.umask(), image.additionalGids(), null, image.extra());
    boolean privileged = policy.privileged(sc);
    List<String> capabilities =
        privileged ? CapabilityNames.permittedHere() : policy.capabilities(sc);
    // As Docker since 20.10: a non-root user holds none of them unless it gains them by exec; the
    // inheritable set stays empty (CVE-2022-24769).
    List<String> held = uid == 0 ? capabilities : List.of();
    Capabilities caps = new Capabilities(capabilities, held, List.of(), held, List.of(), null);
    Spec edited =
        sc != null && sc.readOnlyRoot()
            ? spec.withRoot(new Root(spec.root().path(), true, spec.root().extra()))
            : spec;
    Linux linux = spec.linux();
    if (ids != null) {
      // Its root is an ordinary host id; its network namespace is the node's making (CNI pins it
      // first), so binding ports below 1024 needs this sysctl there, as Docker sets by default.
      // ping's ICMP sockets likewise (raw sockets need the host's CAP_NET_RAW there).
      linux =
          linux.withUserNamespace(
              ids.hostId(),
              ids.size(),
              Map.of(
                  "net.ipv4.ip_unprivileged_port_start", "0",
                  "net.ipv4.ping_group_range", "0 2147483647"));
    }
    if (!ROOTFUL) {
      // No cgroup of the host's is delegated to a rootless agent on cgroup v1 (nor made by Berth
      // on v2 yet): limits cannot be applied, as Podman says on such hosts, and are left out.
      if (!limitsWarned.getAndSet(true)) {
        LOG.warning(
            "Berth runs in a user namespace of its own (rootless): container resource limits"
                + " (memory, cpu, pids, devices) are not applied");
      }
      resources = null;
      edited = withoutDevptsGroup(edited);
    }
    Spec out =
        edited
            .withProcess(spec.process().withEnv(env).withIdentity(user, caps))
            .withLinux(
                linux
                    .withCgroupsPath(settings.cgroupPath())
                    .withResources(resources)
                    // deny by default: the syscalls ordinary programs use, as Docker's default
                    // profile
                    .withSeccomp(
                        DefaultSeccomp.forContainer(
                            Set.copyOf(capabilities), DefaultSeccomp.machine())))
            .withAnnotations(annotations);
    return privileged ? PrivilegedSpec.of(out, HostDevices.under(Path.of("/dev"))) : out;
  }

  /**
   * devpts' gid=5 names a group a one-id user namespace does not have (as `runc spec --rootless`).
   */
  private static Spec withoutDevptsGroup(Spec spec) {
    List<Mount> mounts = new ArrayList<>();
    for (Mount m : spec.mounts() == null ? List.<Mount>of() : spec.mounts()) {
      if ("devpts".equals(m.type()) && m.options() != null) {
        List<String> options = new ArrayList<>(m.options());
        options.removeIf(o -> o.startsWith("gid="));
        m = m.withOptions(options);
      }
      mounts.add(m);
    }
    return spec.withMounts(mounts);
  }
}
