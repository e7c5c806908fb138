package dev.berth.cli.fleetctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * `berth delete workload NAME`: removes a workload; its containers go everywhere. `berth delete
 * node NAME`: removes a node that is gone for good and frees its pod subnet.
 */
@Command(name = "delete", description = "delete a workload, or a node that is gone")
public final class DeleteCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "workload")
  String kind;

  @Parameters(index = "1")
  String name;

  @Mixin ApiOptions api = new ApiOptions();

  @Override
  public Integer call() throws Exception {
    String resource =
        switch (kind) {
          case "workload", "workloads" -> "workload";
          case "node", "nodes" -> "node";
          default -> null;
        };
    if (resource == null) {
      System.err.println("berth: unknown kind \"" + kind + "\" (workload or node)");
      return 1;
    }
    ApiClient.Answer a = api.client().send("DELETE", "/v1/" + resource + "s/" + name, null, null);
    if (a.status() != 200) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    System.out.println(resource + "/" + name + " deleted");
    return 0;
  }
}
