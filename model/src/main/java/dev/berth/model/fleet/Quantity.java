package dev.berth.model.fleet;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes resource quantities: CPU as cores or millicores ("500m", "0.5", "2"), memory as bytes
 * ("128Mi", "1G").
 */
public final class Quantity {
  private static final Pattern FORMAT =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?");
  private static final Map<String, Long> MEMORY =
      Map.of(
          "",
          1L,
          "k",
          1000L,
          "M",
          1_000_000L,
          "G",
          1_000_000_000L,
          "T",
          1_000_000_000_000L,
          "Ki",
          1L << 10,
          "Mi",
          1L << 20,
          "Gi",
          1L << 30,
          "Ti",
          1L << 40);

  private Quantity() {}

  /** The most CPU a quantity may say: a million cores, far beyond any machine. */
  public static final long MAX_MILLICORES = 1_000_000_000L;

  /** The most memory a quantity may say: 1 EiB (2^60 bytes), far beyond any machine. */
  public static final long MAX_BYTES = 1L << 60;

  /** Digits a quantity may have: enough for any real one, too few for a denial of service. */
  private static final int MAX_LENGTH = 32;

  /** CPU in millicores; a fraction of a millicore, or more than a million cores, is refused. */
  public static long millicores(String text) {
    Matcher m = match(text, "cpu");
    BigDecimal value = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    if (!unit.isEmpty() && !unit.equals("m")) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a CPU quantity (use cores such as 0.5, or 500m)");
    }
    BigDecimal millis = unit.equals("m") ? value : value.movePointRight(3);
    return exact(millis, MAX_MILLICORES, text, "millicore", "CPU");
  }

  /** Memory in bytes; a fraction of a byte, or more than 1 EiB, is refused. */
  public static long bytes(String text) {
    Matcher m = match(text, "memory");
    String unit = m.group(2) == null ? "" : m.group(2);
    Long factor = MEMORY.get(unit);
    if (factor == null) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a memory quantity (use 128Mi, 1Gi, 500M or bytes)");
    }
    BigDecimal b = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor));
    return exact(b, MAX_BYTES, text, "byte", "memory");
  }

  private static long exact(BigDecimal v, long max, String text, String unit, String what) {
    if (v.compareTo(BigDecimal.valueOf(max)) > 0) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is more "
              + what
              + " than this fleet accepts (at most "
              + max
              + " "
              + unit
              + "s)");
    }
    try {
      return v.stripTrailingZeros().longValueExact();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a whole number of " + unit + "s", e);
    }
  }

  private static Matcher match(String text, String what) {
    if (text != null && text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a "
              + what
              + " quantity of "
              + text.length()
              + " characters (at most "
              + MAX_LENGTH
              + ")");
    }
    Matcher m = text == null ? null : FORMAT.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a " + what + " quantity");
    }
    return m;
  }
}
