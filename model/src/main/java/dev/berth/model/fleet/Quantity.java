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

  /** CPU in millicores. */
  public static long millicores(String text) {
    Matcher m = match(text, "cpu");
    BigDecimal value = new BigDecimal(m.group(1));
    String unit = m.group(2) == null ? "" : m.group(2);
    if (unit.equals("m")) {
      return value.longValueExact();
    }
    if (!unit.isEmpty()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a CPU quantity (use cores such as 0.5, or 500m)");
    }
    return value.multiply(BigDecimal.valueOf(1000)).longValue();
  }

  /** Memory in bytes. */
  public static long bytes(String text) {
    Matcher m = match(text, "memory");
    String unit = m.group(2) == null ? "" : m.group(2);
    Long factor = MEMORY.get(unit);
    if (factor == null) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a memory quantity (use 128Mi, 1Gi, 500M or bytes)");
    }
    return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(factor)).longValue();
  }

  private static Matcher match(String text, String what) {
    Matcher m = text == null ? null : FORMAT.matcher(text.trim());
    if (m == null || !m.matches()) {
      throw new IllegalArgumentException("\"" + text + "\" is not a " + what + " quantity");
    }
    return m;
  }
}
