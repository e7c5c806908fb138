package dev.berth.runtime.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.runtime.DefaultSpec;
import dev.berth.model.runtime.OciJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A real OCI bundle on a busybox-static rootfs for tests: the default config with the terminal off,
 * edited as JSON by each test, so tests exercise exactly what a user's config.json would.
 */
public final class BusyboxBundle {
  public static final Path BUSYBOX = Path.of("/bin/busybox");
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
      ObjectNode config = (ObjectNode) OciJson.mapper().readTree(DefaultSpec.json());
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
      Files.writeString(dir.resolve("config.json"), OciJson.write(config));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized Path template() throws IOException {
    if (template != null) {
      return template;
    }
    if (!Files.isExecutable(BUSYBOX)) {
      throw new IllegalStateException("busybox-static is not installed (" + BUSYBOX + "): run the README's test command");
    }
    Path t = Files.createTempDirectory("berth-test-rootfs-");
    for (String d : List.of("bin", "proc", "sys", "dev", "tmp", "etc", "root", "home/user")) {
      Files.createDirectories(t.resolve(d));
    }
    Files.copy(BUSYBOX, t.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
    Process list = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
    for (String applet : new String(list.getInputStream().readAllBytes()).split("\n")) {
      if (!applet.isBlank() && !applet.equals("busybox")) {
        Files.createSymbolicLink(t.resolve("bin").resolve(applet.trim()), Path.of("busybox"));
      }
    }
    Files.writeString(t.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n");
    Files.writeString(t.resolve("etc/group"), "root:x:0:\nuser:x:1000:\nextra:x:2000:user\n");
    Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(t)));
    template = t;
    return t;
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isSymbolicLink(p)) {
          Files.createSymbolicLink(target, Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** Removes a tree without following symlinks. */
  public static void deleteTree(Path root) {
    if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
