package dev.berth.runtime.init;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the berth-init executable built by the native module. */
public final class InitBinary {
  private static volatile Path cached;

  private InitBinary() {}

  /**
   * The system property berth.init, else BERTH_INIT, else berth-init beside this module's classes
   * or jar.
   */
  public static Path path() {
    Path p = cached;
    if (p == null) {
      p = locate();
      cached = p;
    }
    return p;
  }

  private static Path locate() {
    String prop = System.getProperty("berth.init");
    if (prop != null && !prop.isEmpty()) {
      return Path.of(prop);
    }
    String env = System.getenv("BERTH_INIT");
    if (env != null && !env.isEmpty()) {
      return Path.of(env);
    }
    try {
      Path source =
          Path.of(InitBinary.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = source.getParent().resolve("berth-init");
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // fall through to the PATH
    }
    return Path.of("berth-init");
  }
}
