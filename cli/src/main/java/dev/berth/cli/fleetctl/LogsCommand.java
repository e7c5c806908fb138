package dev.berth.cli.fleetctl;

import dev.berth.cli.local.LocalLogs;
import dev.berth.cli.local.LocalOptions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `berth logs [-f] CONTAINER|WORKLOAD`: a container's output: a local container's (`berth run`) of
 * that name or id from its files, otherwise a fleet container's through the control plane.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "logs",
    description = "print a container's logs (a workload name picks its first running replica)")
public final class LogsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONTAINER|WORKLOAD")
  String name;

  @Option(
      names = {"-f", "--follow"},
      description = "keep printing what the container writes")
  boolean follow;

  @Option(
      names = "--tail",
      defaultValue = "0",
      description = "only the last N lines of each stream (0: all)")
  int tail;

  @Option(names = "--stream", defaultValue = "all", description = "stdout, stderr or all")
  String stream;

  @Mixin ApiOptions api = new ApiOptions();

  @Mixin LocalOptions local = new LocalOptions();

  @Override
  public Integer call() throws Exception {
    if (tail < 0) {
      throw new IllegalArgumentException("--tail: 0 (all) or more lines");
    }
    var here = local.openIfPresent();
    var container = here.flatMap(l -> l.find(name));
    if (container.isPresent()) {
      LocalLogs.print(here.get(), container.get(), tail, follow, stream);
      return 0;
    }
    ApiClient client = api.client();
    String id = client.resolveContainer(name);
    client.stream(
        "/v1/containers/"
            + URLEncoder.encode(id, StandardCharsets.UTF_8)
            + "/logs?stream="
            + URLEncoder.encode(stream, StandardCharsets.UTF_8)
            + "&tail="
            + tail
            + "&follow="
            + follow,
        System.out);
    return 0;
  }
}
