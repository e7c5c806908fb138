package dev.berth.model.runtime;

import java.util.LinkedHashMap;
import java.util.Map;

/** Holds the fields a record does not know, so that they survive a read and a write. */
final class Extras {
  private Extras() {}

  static Map<String, Object> copy(Map<String, Object> extra) {
    // Mutable on purpose: Jackson's any-setter fills it after construction.
    return extra == null ? new LinkedHashMap<>() : new LinkedHashMap<>(extra);
  }
}
