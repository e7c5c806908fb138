package dev.berth.runtime.process;

import java.util.List;
import java.util.Locale;

/** Signal names and numbers as kill(1) and runc accept them: "TERM", "SIGTERM" or "15". */
public final class Signals {
  private static final List<String> NAMES =
      List.of(
          "", "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
          "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
          "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS");

  private Signals() {}

  public static int parse(String signal) {
    String s = signal.trim().toUpperCase(Locale.ROOT);
    if (s.chars().allMatch(Character::isDigit) && !s.isEmpty()) {
      int n = Integer.parseInt(s);
      if (n > 0 && n <= 64) {
        return n;
      }
    } else {
      String name = s.startsWith("SIG") ? s.substring(3) : s;
      int i = NAMES.indexOf(name);
      if (i > 0) {
        return i;
      }
      if (name.equals("IOT")) {
        return 6;
      }
      if (name.equals("POLL")) {
        return 29;
      }
      if (name.startsWith("RTMIN")) {
        return 34 + offset(name.substring(5));
      }
      if (name.startsWith("RTMAX")) {
        return 64 + offset(name.substring(5));
      }
    }
    throw new IllegalArgumentException("unknown signal \"" + signal + "\"");
  }

  private static int offset(String s) {
    return s.isEmpty() ? 0 : Integer.parseInt(s.replace("+", ""));
  }
}
