package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * `berth diff -f FILE|DIR`: what applying the specs would change in the fleet, as a unified diff
 * per workload (as kubectl diff); changes nothing. Exit 0: no changes, 2: changes, 1: an error.
 */
@Command(name = "diff", description = "what applying specs would change (exit 2: changes)")
public final class DiffCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--filename"},
      required = true)
  Path path;

  @Mixin ApiOptions api = new ApiOptions();

  @Override
  public Integer call() throws Exception {
    List<Path> files = ApplyCommand.specFiles(path);
    ObjectNode body = JsonMapping.mapper().createObjectNode();
    ObjectNode map = body.putObject("files");
    for (Path f : files) {
      String name =
          Files.isDirectory(path) ? path.relativize(f).toString() : f.getFileName().toString();
      map.put(name, Files.readString(f));
    }
    ApiClient.Answer a =
        api.client()
            .send(
                "POST",
                "/v1/diff",
                "application/json",
                JsonMapping.mapper().writeValueAsBytes(body));
    if (a.status() != 200) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    return GitOpsCommand.printDiff(a.body());
  }
}
