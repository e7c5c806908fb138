package dev.berth.cli.fleetctl;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `berth logs [-f] CONTAINER|WORKLOAD`: a container's output, through the control plane from its
 * node.
 */
@Command(
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

  @Override
  public Integer call() throws Exception {
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
