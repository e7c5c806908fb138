package dev.berth.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Holds the fields a spec record does not know, so that they survive a read and a write (specs
 * evolve).
 */
public final class UnknownFields {
  private UnknownFields() {}

  /** A copy of {@code extra} (empty when null) for a record's any-setter. */
  public static Map<String, Object> copy(Map<String, Object> extra) {
    // Mutable on purpose: Jackson's any-setter fills it after construction.
    return extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extra);
  }
}
