package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.model.runtime.OciJson;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `berth get workloads [NAME]`: a table as kubectl prints, or the objects with -o json|yaml. */
@Command(name = "get", description = "show workloads")
public final class GetCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "workloads")
  String kind;

  @Parameters(index = "1", arity = "0..1")
  String name;

  @Option(names = {"-o", "--output"}, description = "json or yaml (default: a table)")
  String output;

  @Option(names = "--server", defaultValue = "http://127.0.0.1:7070")
  String server;

  @Override
  public Integer call() throws Exception {
    if (!kind.equals("workloads") && !kind.equals("workload")) {
      System.err.println("berth: unknown kind \"" + kind + "\" (the API serves workloads so far)");
      return 1;
    }
    ApiClient.Answer a = new ApiClient(server).send("GET", "/v1/workloads" + (name == null ? "" : "/" + name),
        null, null);
    if (a.status() != 200) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    if ("json".equals(output)) {
      System.out.println(OciJson.write(a.body()));
    } else if ("yaml".equals(output)) {
      System.out.print(new YAMLMapper().writeValueAsString(a.body()));
    } else {
      System.out.printf("%-24s %-40s %-9s %s%n", "NAME", "IMAGE", "REPLICAS", "GENERATION");
      for (JsonNode w : name == null ? a.body().path("items") : java.util.List.of(a.body())) {
        JsonNode spec = w.path("spec");
        System.out.printf("%-24s %-40s %-9s %s%n", w.path("name").asText(), spec.path("image").asText(),
            spec.path("replicas").asText("1"), w.path("generation").asText());
      }
    }
    return 0;
  }
}
