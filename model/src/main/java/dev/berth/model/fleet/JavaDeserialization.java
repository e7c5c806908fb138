package dev.berth.model.fleet;

import java.io.ObjectInputFilter;

/**
 * Turns Java deserialization off for the whole JVM: every class an ObjectInputStream would make is
 * rejected. Berth sends nothing as Java-serialized objects (JSON everywhere), and
 * commons-collections and beanutils on the classpath make any read of one a remote-code gadget.
 */
public final class JavaDeserialization {
  private JavaDeserialization() {}

  /** Installs the JVM-wide filter; idempotent, and an operator's stricter jdk.serialFilter wins. */
  public static synchronized void refuse() {
    if (ObjectInputFilter.Config.getSerialFilter() != null) {
      return; // ours already, or one set with -Djdk.serialFilter
    }
    ObjectInputFilter.Config.setSerialFilter(
        info ->
            info.serialClass() == null
                ? ObjectInputFilter.Status.UNDECIDED
                : ObjectInputFilter.Status.REJECTED);
  }
}
