package dev.berth.cli.local;

import dev.berth.agent.local.LocalContainers;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `berth ps [-a] [-q]`: the local containers, as `podman ps`. */
@Command(
    mixinStandardHelpOptions = true,
    name = "ps",
    description = "list the containers run on this machine with berth run")
public final class PsCommand implements Callable<Integer> {
  @Option(
      names = {"-a", "--all"},
      description = "also those not running")
  boolean all;

  @Option(
      names = {"-q", "--quiet"},
      description = "ids only")
  boolean quiet;

  @Mixin LocalOptions local = new LocalOptions();

  @Override
  public Integer call() throws Exception {
    var present = local.openIfPresent();
    if (!quiet) {
      System.out.printf(
          "%-12s  %-24s  %-24s  %-14s  %-18s  %-24s  %s%n",
          "CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES");
    }
    if (present.isEmpty()) {
      return 0;
    }
    for (LocalContainers.Listed l : present.get().list()) {
      boolean running = "running".equals(l.status()) || "paused".equals(l.status());
      if (!all && !running) {
        continue;
      }
      var c = l.container();
      if (quiet) {
        System.out.println(c.shortId());
        continue;
      }
      String command =
          c.command() == null || c.command().isEmpty() ? "" : String.join(" ", c.command());
      System.out.printf(
          "%-12s  %-24s  %-24s  %-14s  %-18s  %-24s  %s%n",
          c.shortId(),
          cut(c.image(), 24),
          cut("\"" + command + "\"", 24),
          ago(Instant.parse(c.created())),
          status(l),
          c.portsText(),
          c.name());
    }
    return 0;
  }

  private static String status(LocalContainers.Listed l) {
    return switch (l.status()) {
      case "stopped" -> "Exited (" + (l.exitCode() == null ? "?" : l.exitCode()) + ")";
      case "running" -> "Up";
      case "paused" -> "Up (paused)";
      case "created" -> "Created";
      default -> l.status();
    };
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 3) + "...";
  }

  static String ago(Instant then) {
    Duration d = Duration.between(then, Instant.now());
    if (d.toSeconds() < 60) {
      return d.toSeconds() + " seconds ago";
    }
    if (d.toMinutes() < 60) {
      return d.toMinutes() + " minutes ago";
    }
    if (d.toHours() < 48) {
      return d.toHours() + " hours ago";
    }
    return d.toDays() + " days ago";
  }
}
