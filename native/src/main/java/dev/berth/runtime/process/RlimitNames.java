package dev.berth.runtime.process;

import java.util.List;

/** POSIX resource limit names and their Linux numbers. */
public final class RlimitNames {
  private static final List<String> ALL =
      List.of(
          "RLIMIT_CPU",
          "RLIMIT_FSIZE",
          "RLIMIT_DATA",
          "RLIMIT_STACK",
          "RLIMIT_CORE",
          "RLIMIT_RSS",
          "RLIMIT_NPROC",
          "RLIMIT_NOFILE",
          "RLIMIT_MEMLOCK",
          "RLIMIT_AS",
          "RLIMIT_LOCKS",
          "RLIMIT_SIGPENDING",
          "RLIMIT_MSGQUEUE",
          "RLIMIT_NICE",
          "RLIMIT_RTPRIO",
          "RLIMIT_RTTIME");

  private RlimitNames() {}

  /** The resource number, or -1 when Linux has no such limit. */
  public static int number(String name) {
    return ALL.indexOf(name);
  }
}
