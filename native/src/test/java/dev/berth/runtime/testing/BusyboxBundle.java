package dev.berth.runtime.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.runtime.DefaultSpec;
import dev.berth.runtime.bundle.BusyboxRootfs;
import dev.berth.runtime.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A real OCI bundle on a busybox-static rootfs for tests: the default config with the terminal off,
 * edited as JSON by each test, so tests exercise exactly what a user's config.json would.
 */
public final class BusyboxBundle {
  private static volatile Path template;

  private final Path dir;
  private final ObjectNode config;

  private BusyboxBundle(Path dir, ObjectNode config) {
    this.dir = dir;
    this.config = config;
  }

  /** A bundle in {@code parent}/name whose process runs {@code sh -c script}. */
  public static BusyboxBundle create(Path parent, String name, String script) {
    try {
      Path dir = Files.createDirectories(parent.resolve(name));
      copyTree(template(), dir.resolve("rootfs"));
      ObjectNode config = (ObjectNode) JsonMapping.mapper().readTree(DefaultSpec.json());
      ObjectNode process = (ObjectNode) config.get("process");
      process.put("terminal", false);
      ArrayNode args = process.putArray("args");
      args.add("sh").add("-c").add(script);
      // The default denies every device; tests that need limits add their own resources.
      ((ObjectNode) config.get("linux")).remove("resources");
      BusyboxBundle b = new BusyboxBundle(dir, config);
      b.write();
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path dir() {
    return dir;
  }

  public Path rootfs() {
    return dir.resolve("rootfs");
  }

  public ObjectNode config() {
    return config;
  }

  /** Edits the config as JSON and writes it back. */
  public BusyboxBundle edit(Consumer<ObjectNode> change) {
    change.accept(config);
    write();
    return this;
  }

  private void write() {
    try {
      Files.writeString(dir.resolve("config.json"), JsonMapping.write(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized Path template() throws IOException {
    if (template == null) {
      Path t = BusyboxRootfs.create(Files.createTempDirectory("berth-test-rootfs-"));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(t)));
      template = t;
    }
    return template;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    FileTrees.copy(from, to);
  }

  /** Removes a tree without following symlinks. */
  public static void deleteTree(Path root) {
    try {
      FileTrees.delete(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
