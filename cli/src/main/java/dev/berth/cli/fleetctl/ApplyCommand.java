package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** `berth apply -f FILE|DIR`: sends each spec to the control plane, as kubectl apply does. */
@Command(
    name = "apply",
    description = "apply workload specs and git sources (YAML or JSON) from a file or a directory")
public final class ApplyCommand implements Callable<Integer> {
  @Option(
      names = {"-f", "--filename"},
      required = true)
  Path path;

  @Mixin ApiOptions api = new ApiOptions();

  @Override
  public Integer call() throws Exception {
    List<Path> files = specFiles(path);
    ApiClient client = api.client();
    int failed = 0;
    for (Path f : files) {
      String type = f.toString().endsWith(".json") ? "application/json" : "application/yaml";
      byte[] body = Files.readAllBytes(f);
      if (isGitSource(body)) {
        failed += GitOpsCommand.apply(client, body, type);
        continue;
      }
      ApiClient.Answer a = client.send("POST", "/v1/workloads", type, body);
      if (a.status() == 200 || a.status() == 201) {
        System.out.println(
            "workload/" + a.body().path("name").asText() + " " + a.body().path("outcome").asText());
      } else {
        System.err.println(f + ": " + ApiClient.error(a));
        failed++;
      }
    }
    return failed == 0 ? 0 : 1;
  }

  /** The spec files {@code path} names: itself, or a directory's .yaml, .yml and .json files. */
  static List<Path> specFiles(Path path) throws java.io.IOException {
    if (!Files.isDirectory(path)) {
      return List.of(path);
    }
    try (Stream<Path> s = Files.list(path)) {
      return s.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$")).sorted().toList();
    }
  }

  /** Whether a document declares {@code kind: GitSource} (it goes to the GitOps API). */
  static boolean isGitSource(byte[] body) {
    try {
      return "GitSource".equals(new YAMLMapper().readTree(body).path("kind").asText(null));
    } catch (java.io.IOException | RuntimeException e) {
      return false; // the API names what is wrong with it
    }
  }
}
