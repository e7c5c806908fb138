package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.berth.model.JsonMapping;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `berth get workloads|nodes|containers [NAME]`: a table as kubectl prints, or the objects with -o
 * json|yaml.
 */
@Command(name = "get", description = "show workloads, nodes or containers")
public final class GetCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "workloads, nodes or containers")
  String kind;

  @Parameters(index = "1", arity = "0..1")
  String name;

  @Option(
      names = {"-o", "--output"},
      description =
          "json, yaml or wide (a table with the containers' ports, the nodes' addresses and pod"
              + " subnets; default: a table)")
  String output;

  @Mixin ApiOptions api = new ApiOptions();

  /** Ports as `docker ps` shows them: 8080->80/tcp for published ones, 80/tcp for the others. */
  private static String ports(JsonNode ports) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : ports) {
      String proto = p.path("protocol").asText("TCP").toLowerCase(Locale.ROOT);
      int host = p.path("hostPort").asInt(0);
      out.add((host > 0 ? host + "->" : "") + p.path("containerPort").asInt() + "/" + proto);
    }
    return out.isEmpty() ? "-" : String.join(",", out);
  }

  @Override
  public Integer call() throws Exception {
    String resource =
        switch (kind) {
          case "workload", "workloads" -> "workloads";
          case "node", "nodes" -> "nodes";
          case "container", "containers" -> "containers";
          default -> null;
        };
    if (resource == null) {
      System.err.println("berth: unknown kind \"" + kind + "\" (workloads, nodes or containers)");
      return 1;
    }
    boolean one = name != null && resource.equals("workloads");
    ApiClient.Answer a =
        api.client().send("GET", "/v1/" + resource + (one ? "/" + name : ""), null, null);
    if (a.status() != 200) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    if ("json".equals(output)) {
      System.out.println(JsonMapping.write(a.body()));
    } else if ("yaml".equals(output)) {
      System.out.print(new YAMLMapper().writeValueAsString(a.body()));
    } else if (resource.equals("nodes")) {
      // allocatable/capacity, as `kubectl describe node` lists both; -o wide adds the node's
      // address and pod subnet, as kubectl's INTERNAL-IP and PodCIDR
      boolean wide = "wide".equals(output);
      String row = "%-20s %-9s %-14s %-16s" + (wide ? " %-15s %s" : "%s%s") + "%n";
      System.out.printf(
          row, "NAME", "STATUS", "CPU", "MEMORY", wide ? "ADDRESS" : "", wide ? "POD-SUBNET" : "");
      for (JsonNode n : a.body().path("items")) {
        System.out.printf(
            row,
            n.path("name").asText(),
            n.path("alive").asBoolean() ? "Ready" : "Lost",
            n.path("allocatableCpuMillis").asLong() + "m/" + n.path("cpuMillis").asLong() + "m",
            (n.path("allocatableMemoryBytes").asLong() >> 20)
                + "Mi/"
                + (n.path("memoryBytes").asLong() >> 20)
                + "Mi",
            wide ? n.path("address").asText("-") : "",
            wide ? n.path("podSubnet").asText("-") : "");
      }
    } else if (resource.equals("containers")) {
      boolean wide = "wide".equals(output);
      System.out.printf(
          "%-28s %-16s %-12s %-9s %-15s %-5s %-8s %s%n",
          "CONTAINER", "WORKLOAD", "NODE", "STATE", "IP", "EXIT", "RESTARTS", wide ? "PORTS" : "");
      for (JsonNode c : a.body().path("items")) {
        System.out.printf(
            "%-28s %-16s %-12s %-9s %-15s %-5s %-8s %s%n",
            c.path("containerId").asText(),
            c.path("workload").asText(),
            c.path("node").asText(),
            c.path("state").asText(),
            c.path("ip").asText("-"),
            c.path("exitCode").isNull() || c.path("exitCode").isMissingNode()
                ? "-"
                : c.path("exitCode").asText(),
            c.path("restarts").asText(),
            wide ? ports(c.path("ports")) : "");
      }
    } else {
      System.out.printf("%-24s %-40s %-9s %s%n", "NAME", "IMAGE", "REPLICAS", "GENERATION");
      for (JsonNode w : one ? List.of(a.body()) : a.body().path("items")) {
        JsonNode spec = w.path("spec");
        System.out.printf(
            "%-24s %-40s %-9s %s%n",
            w.path("name").asText(),
            spec.path("image").asText(),
            spec.path("replicas").asText("1"),
            w.path("generation").asText());
      }
    }
    return 0;
  }
}
