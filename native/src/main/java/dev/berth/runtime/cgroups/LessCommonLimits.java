package dev.berth.runtime.cgroups;

import dev.berth.model.runtime.BlockIO;
import dev.berth.model.runtime.HugepageLimit;
import dev.berth.model.runtime.Memory;
import dev.berth.model.runtime.NetworkPriority;
import dev.berth.model.runtime.RdmaLimit;
import dev.berth.model.runtime.Resources;
import dev.berth.model.runtime.ThrottleDevice;
import dev.berth.model.runtime.WeightDevice;
import dev.berth.runtime.ContainerException;
import java.util.List;
import java.util.Map;

/**
 * The limits beyond memory, CPU, pids and devices: block I/O weights and throttles, hugetlb, the
 * network class and priorities, RDMA and the kernel's TCP memory. Each is written where this host's
 * cgroups have the file for it (v1 and v2 alike); where they do not, the config is refused naming
 * the field and what is missing, as the runtime-spec asks of a runtime that cannot create the
 * environment a config describes (silently unapplied limits were the other way).
 */
final class LessCommonLimits {
  /** Where the files go: a v1 controller's directory (the controller ignored on v2) or the one. */
  interface Target {
    /** Whether {@code file} exists for {@code controller} (false when it is not mounted). */
    boolean has(String controller, String file);

    void write(String controller, String file, String value) throws ContainerException;

    /** "cgroup v1" or "cgroup v2", for messages. */
    String version();
  }

  private LessCommonLimits() {}

  /** Applies them on cgroup v1. */
  static void applyV1(Resources r, Target t) throws ContainerException {
    BlockIO io = r.blockIO();
    if (io != null) {
      String weightFile = t.has("blkio", "blkio.weight") ? "blkio.weight" : "blkio.bfq.weight";
      if (io.weight() != null && io.weight() != 0) {
        need(
            t, "blkio", weightFile, "linux.resources.blockIO.weight", "a CFQ or BFQ I/O scheduler");
        t.write("blkio", weightFile, Integer.toString(io.weight()));
      }
      if (io.leafWeight() != null && io.leafWeight() != 0) {
        need(t, "blkio", "blkio.leaf_weight", "linux.resources.blockIO.leafWeight", "CFQ");
        t.write("blkio", "blkio.leaf_weight", Integer.toString(io.leafWeight()));
      }
      for (WeightDevice d : list(io.weightDevice())) {
        String file = weightFile + "_device";
        if (d.weight() != null) {
          need(t, "blkio", file, "linux.resources.blockIO.weightDevice", "CFQ or BFQ");
          t.write("blkio", file, d.major() + ":" + d.minor() + " " + d.weight());
        }
        if (d.leafWeight() != null) {
          need(
              t,
              "blkio",
              "blkio.leaf_weight_device",
              "linux.resources.blockIO.weightDevice",
              "CFQ");
          t.write(
              "blkio",
              "blkio.leaf_weight_device",
              d.major() + ":" + d.minor() + " " + d.leafWeight());
        }
      }
      throttleV1(t, io.throttleReadBpsDevice(), "read_bps_device", "throttleReadBpsDevice");
      throttleV1(t, io.throttleWriteBpsDevice(), "write_bps_device", "throttleWriteBpsDevice");
      throttleV1(t, io.throttleReadIOPSDevice(), "read_iops_device", "throttleReadIOPSDevice");
      throttleV1(t, io.throttleWriteIOPSDevice(), "write_iops_device", "throttleWriteIOPSDevice");
    }
    for (HugepageLimit h : list(r.hugepageLimits())) {
      String file = "hugetlb." + pageSize(h) + ".limit_in_bytes";
      need(t, "hugetlb", file, "linux.resources.hugepageLimits", "the hugetlb controller");
      t.write("hugetlb", file, Long.toString(h.limit()));
    }
    if (r.network() != null) {
      if (r.network().classID() != null) {
        need(t, "net_cls", "net_cls.classid", "linux.resources.network.classID", "net_cls");
        t.write("net_cls", "net_cls.classid", Long.toString(r.network().classID()));
      }
      for (NetworkPriority p : list(r.network().priorities())) {
        need(t, "net_prio", "net_prio.ifpriomap", "linux.resources.network.priorities", "net_prio");
        t.write(
            "net_prio",
            "net_prio.ifpriomap",
            word(p.name(), "network.priorities") + " " + p.priority());
      }
    }
    rdma(r.rdma(), t, "rdma");
    Memory m = r.memory();
    if (m != null && m.kernelTCP() != null) {
      need(
          t,
          "memory",
          "memory.kmem.tcp.limit_in_bytes",
          "linux.resources.memory.kernelTCP",
          "kmem");
      t.write("memory", "memory.kmem.tcp.limit_in_bytes", Long.toString(m.kernelTCP()));
    }
    // memory.kernel is deprecated by the spec and gone from kernels since 5.16: as runc, not
    // applied
  }

  /** Applies them on cgroup v2, converted as runc converts them. */
  static void applyV2(Resources r, Target t) throws ContainerException {
    BlockIO io = r.blockIO();
    if (io != null) {
      boolean bfq = t.has("io", "io.bfq.weight");
      if (io.weight() != null && io.weight() != 0) {
        if (bfq) {
          t.write("io", "io.bfq.weight", Integer.toString(io.weight()));
        } else {
          need(
              t, "io", "io.weight", "linux.resources.blockIO.weight", "the io controller's weight");
          t.write("io", "io.weight", Long.toString(ioWeight(io.weight())));
        }
      }
      if (io.leafWeight() != null && io.leafWeight() != 0) {
        throw new ContainerException(
            "linux.resources.blockIO.leafWeight: cgroup v2 has no leaf weight");
      }
      for (WeightDevice d : list(io.weightDevice())) {
        if (d.weight() == null) {
          continue;
        }
        String file = bfq ? "io.bfq.weight" : "io.weight";
        need(t, "io", file, "linux.resources.blockIO.weightDevice", "the io controller's weight");
        long w = bfq ? d.weight() : ioWeight(d.weight());
        t.write("io", file, d.major() + ":" + d.minor() + " " + w);
      }
      throttleV2(t, io.throttleReadBpsDevice(), "rbps", "throttleReadBpsDevice");
      throttleV2(t, io.throttleWriteBpsDevice(), "wbps", "throttleWriteBpsDevice");
      throttleV2(t, io.throttleReadIOPSDevice(), "riops", "throttleReadIOPSDevice");
      throttleV2(t, io.throttleWriteIOPSDevice(), "wiops", "throttleWriteIOPSDevice");
    }
    for (HugepageLimit h : list(r.hugepageLimits())) {
      String file = "hugetlb." + pageSize(h) + ".max";
      need(t, "hugetlb", file, "linux.resources.hugepageLimits", "the hugetlb controller");
      t.write("hugetlb", file, Long.toString(h.limit()));
    }
    if (r.network() != null
        && (r.network().classID() != null || !list(r.network().priorities()).isEmpty())) {
      throw new ContainerException(
          "linux.resources.network: cgroup v2 has no net_cls or net_prio controller (classify"
              + " traffic with eBPF instead)");
    }
    rdma(r.rdma(), t, "rdma");
    Memory m = r.memory();
    if (m != null && m.kernelTCP() != null) {
      throw new ContainerException(
          "linux.resources.memory.kernelTCP: cgroup v2 has no separate kernel TCP memory limit"
              + " (it counts in memory.max)");
    }
  }

  /** runc's conversion of blkio weight (10..1000) to io.weight (1..10000). */
  static long ioWeight(int blkioWeight) {
    return 1 + (blkioWeight - 10L) * 9999 / 990;
  }

  private static void throttleV1(Target t, List<ThrottleDevice> devices, String kind, String field)
      throws ContainerException {
    String file = "blkio.throttle." + kind;
    for (ThrottleDevice d : list(devices)) {
      need(t, "blkio", file, "linux.resources.blockIO." + field, "blkio throttling");
      t.write("blkio", file, d.major() + ":" + d.minor() + " " + d.rate());
    }
  }

  private static void throttleV2(Target t, List<ThrottleDevice> devices, String key, String field)
      throws ContainerException {
    for (ThrottleDevice d : list(devices)) {
      need(t, "io", "io.max", "linux.resources.blockIO." + field, "the io controller");
      t.write("io", "io.max", d.major() + ":" + d.minor() + " " + key + "=" + d.rate());
    }
  }

  private static void rdma(Map<String, RdmaLimit> rdma, Target t, String controller)
      throws ContainerException {
    if (rdma == null) {
      return;
    }
    for (Map.Entry<String, RdmaLimit> e : rdma.entrySet()) {
      need(t, controller, "rdma.max", "linux.resources.rdma", "the rdma controller");
      StringBuilder line = new StringBuilder(word(e.getKey(), "rdma"));
      if (e.getValue().hcaHandles() != null) {
        line.append(" hca_handle=").append(e.getValue().hcaHandles());
      }
      if (e.getValue().hcaObjects() != null) {
        line.append(" hca_object=").append(e.getValue().hcaObjects());
      }
      t.write(controller, "rdma.max", line.toString());
    }
  }

  private static final java.util.regex.Pattern PAGE_SIZE =
      java.util.regex.Pattern.compile("[0-9]{1,4}[KMGTP]?B");
  private static final java.util.regex.Pattern WORD =
      java.util.regex.Pattern.compile("[A-Za-z0-9_.:@-]{1,64}");

  /** A page size names a file: "2MB", "1GB", never a path. */
  private static String pageSize(HugepageLimit h) throws ContainerException {
    if (h.pageSize() == null || !PAGE_SIZE.matcher(h.pageSize()).matches()) {
      throw new ContainerException(
          "linux.resources.hugepageLimits: pageSize \""
              + h.pageSize()
              + "\" is not a size such as 2MB");
    }
    return h.pageSize();
  }

  /** A device or interface name written into a cgroup file: one word, no line breaks. */
  private static String word(String name, String field) throws ContainerException {
    if (name == null || !WORD.matcher(name).matches()) {
      throw new ContainerException(
          "linux.resources." + field + ": \"" + name + "\" is not a device or interface name");
    }
    return name;
  }

  private static void need(Target t, String controller, String file, String field, String what)
      throws ContainerException {
    if (!t.has(controller, file)) {
      throw new ContainerException(
          field
              + ": this host's "
              + t.version()
              + " has no "
              + file
              + " (the "
              + controller
              + " controller, with "
              + what
              + ", is needed to apply it)");
    }
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
