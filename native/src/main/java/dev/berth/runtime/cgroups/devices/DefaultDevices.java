package dev.berth.runtime.cgroups.devices;

import dev.berth.model.runtime.DeviceRule;
import java.util.List;

/**
 * The devices every container may use after its config's own rules, as runc allows them: mknod of
 * any, and null, zero, full, random, urandom, tty, console, ptmx, the pts and /dev/net/tun.
 */
public final class DefaultDevices {
  public static final List<DeviceRule> RULES =
      List.of(
          allow("c", null, null, "m"),
          allow("b", null, null, "m"),
          allow("c", 1L, 3L, "rwm"),
          allow("c", 1L, 5L, "rwm"),
          allow("c", 1L, 7L, "rwm"),
          allow("c", 1L, 8L, "rwm"),
          allow("c", 1L, 9L, "rwm"),
          allow("c", 5L, 0L, "rwm"),
          allow("c", 5L, 1L, "rwm"),
          allow("c", 5L, 2L, "rwm"),
          allow("c", 136L, null, "rwm"),
          allow("c", 10L, 200L, "rwm"));

  private DefaultDevices() {}

  private static DeviceRule allow(String type, Long major, Long minor, String access) {
    return new DeviceRule(true, type, major, minor, access, null);
  }

  /** A rule as cgroup v1's devices.allow and devices.deny take it ("c 1:3 rwm"). */
  public static String v1Line(DeviceRule rule) {
    return (rule.type() == null ? "a" : rule.type())
        + " "
        + id(rule.major())
        + ":"
        + id(rule.minor())
        + " "
        + (rule.access() == null ? "rwm" : rule.access());
  }

  private static String id(Long n) {
    return n == null || n < 0 ? "*" : Long.toString(n);
  }
}
