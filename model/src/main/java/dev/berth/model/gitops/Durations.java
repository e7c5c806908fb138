package dev.berth.model.gitops;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them in specs: a whole number and a unit, ms, s, m or h ("30s"). */
public final class Durations {
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,9})(ms|s|m|h)");

  private Durations() {}

  /** The duration in milliseconds; IllegalArgumentException when it is not one. */
  public static long millis(String text) {
    Matcher m = text == null ? null : DURATION.matcher(text);
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration: a whole number and ms, s, m or h (\"30s\")");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> n;
      case "s" -> n * 1_000;
      case "m" -> n * 60_000;
      default -> n * 3_600_000;
    };
  }
}
