package dev.berth.cli.fleetctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `berth delete workload NAME`: removes a workload; its containers go everywhere. */
@Command(name = "delete", description = "delete a workload")
public final class DeleteWorkloadCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "workload")
  String kind;

  @Parameters(index = "1")
  String name;

  @Option(names = "--server", defaultValue = "http://127.0.0.1:7070")
  String server;

  @Override
  public Integer call() throws Exception {
    if (!kind.equals("workload") && !kind.equals("workloads")) {
      System.err.println("berth: unknown kind \"" + kind + "\"");
      return 1;
    }
    ApiClient.Answer a = new ApiClient(server).send("DELETE", "/v1/workloads/" + name, null, null);
    if (a.status() != 200) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    System.out.println("workload/" + name + " deleted");
    return 0;
  }
}
