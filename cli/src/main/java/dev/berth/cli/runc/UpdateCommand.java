package dev.berth.cli.runc;

import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.Cpu;
import dev.berth.model.runtime.Memory;
import dev.berth.model.runtime.Pids;
import dev.berth.model.runtime.Resources;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * runc update: changes a container's limits from a linux.resources JSON (a file, or - for stdin, as
 * containerd passes it) and from runc's flags, which win over the file's values.
 */
@Command(name = "update", description = "update container resource constraints")
final class UpdateCommand extends ContainerCommand {
  /** Bounded: a resources document is a few hundred bytes. */
  private static final int MAX_RESOURCES_BYTES = 1 << 20;

  @Option(
      names = {"-r", "--resources"},
      description = "path to a linux.resources JSON file, or - for stdin")
  String resources;

  @Option(names = "--blkio-weight")
  Integer blkioWeight;

  @Option(names = "--cpu-period")
  Long cpuPeriod;

  @Option(names = "--cpu-quota")
  Long cpuQuota;

  @Option(names = "--cpu-burst")
  Long cpuBurst;

  @Option(names = "--cpu-share")
  Long cpuShare;

  @Option(names = "--cpu-rt-period")
  Long cpuRtPeriod;

  @Option(names = "--cpu-rt-runtime")
  Long cpuRtRuntime;

  @Option(names = "--cpu-idle")
  Long cpuIdle;

  @Option(names = "--cpuset-cpus")
  String cpusetCpus;

  @Option(names = "--cpuset-mems")
  String cpusetMems;

  @Option(names = "--kernel-memory")
  String kernelMemory;

  @Option(names = "--kernel-memory-tcp")
  String kernelMemoryTcp;

  @Option(names = {"-m", "--memory"})
  String memory;

  @Option(names = "--memory-reservation")
  String memoryReservation;

  @Option(names = "--memory-swap")
  String memorySwap;

  @Option(names = "--pids-limit")
  Long pidsLimit;

  @Override
  public Integer call() throws Exception {
    Resources base = resources == null ? Resources.none() : read(resources);
    Memory mem =
        new Memory(
            bytes(memory, "--memory"),
            bytes(memoryReservation, "--memory-reservation"),
            bytes(memorySwap, "--memory-swap"),
            bytes(kernelMemory, "--kernel-memory"),
            bytes(kernelMemoryTcp, "--kernel-memory-tcp"),
            null,
            null,
            null,
            null,
            null);
    Cpu cpu =
        new Cpu(
            cpuShare,
            cpuQuota,
            cpuBurst,
            cpuPeriod,
            cpuRtRuntime,
            cpuRtPeriod,
            cpusetCpus,
            cpusetMems,
            cpuIdle,
            null);
    Resources flags =
        new Resources(
            null,
            mem,
            cpu,
            pidsLimit == null ? null : new Pids(pidsLimit, null),
            blkioWeight == null
                ? null
                : new dev.berth.model.runtime.BlockIO(
                    blkioWeight, null, null, null, null, null, null, null),
            null,
            null,
            null,
            null,
            null);
    main.runtime().update(id, base.updatedWith(flags));
    return 0;
  }

  private static Resources read(String from) throws IOException, RuncException {
    try (InputStream in = "-".equals(from) ? System.in : Files.newInputStream(Path.of(from))) {
      byte[] bytes = in.readNBytes(MAX_RESOURCES_BYTES + 1);
      if (bytes.length > MAX_RESOURCES_BYTES) {
        throw new RuncException("--resources: more than " + MAX_RESOURCES_BYTES + " bytes");
      }
      return JsonMapping.mapper().readValue(bytes, Resources.class);
    }
  }

  /** A size as runc takes it (docker's RAMInBytes): 1024-based k, m, g, t suffixes; -1 is none. */
  static Long bytes(String value, String flag) throws RuncException {
    if (value == null) {
      return null;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    if (v.equals("-1")) {
      return -1L;
    }
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)i?b?").matcher(v);
    if (!m.matches()) {
      throw new RuncException(flag + ": \"" + value + "\" is not a size (such as 512m, 2g)");
    }
    int shift =
        switch (m.group(2)) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          case "p" -> 50;
          default -> 0;
        };
    return (long) (Double.parseDouble(m.group(1)) * (1L << shift));
  }
}
