package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * `berth exec CONTAINER|WORKLOAD -- COMMAND...`: runs a command in a container and exits with its
 * code.
 */
@Command(
    name = "exec",
    description = "run a command in a container (a workload name picks its first running replica)")
public final class FleetExecCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONTAINER|WORKLOAD")
  String name;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
  List<String> command;

  @Mixin ApiOptions api = new ApiOptions();

  @Override
  public Integer call() throws Exception {
    ApiClient client = api.client();
    String id = client.resolveContainer(name);
    ObjectNode body = JsonMapping.mapper().createObjectNode();
    command.forEach(body.putArray("command")::add);
    ApiClient.Answer a =
        client.send(
            "POST",
            "/v1/containers/" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "/exec",
            "application/json",
            JsonMapping.mapper().writeValueAsBytes(body));
    if (a.status() != 200) {
      System.err.println("berth: " + ApiClient.error(a));
      return 1;
    }
    System.out.print(a.body().path("stdout").asText());
    System.out.flush();
    System.err.print(a.body().path("stderr").asText());
    return a.body().path("exitCode").asInt();
  }
}
