package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.local.LocalExec;
import dev.berth.cli.local.LocalOptions;
import dev.berth.cli.local.RunCommand;
import dev.berth.model.JsonMapping;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * `berth exec [-i] [-t] CONTAINER|WORKLOAD [--] COMMAND...`: runs a command in a container and
 * exits with its code. A local container (`berth run`) of that name or id is meant first; otherwise
 * the fleet's, through the control plane.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "exec",
    description = "run a command in a container (a workload name picks its first running replica)")
public final class FleetExecCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "CONTAINER|WORKLOAD")
  String name;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "COMMAND")
  List<String> command;

  @Option(
      names = {"-i", "--interactive"},
      description = "this command's stdin to it (local containers)")
  boolean interactive;

  @Option(
      names = {"-t", "--tty"},
      description = "a terminal (local containers)")
  boolean tty;

  @Mixin ApiOptions api = new ApiOptions();

  @Mixin LocalOptions local = new LocalOptions();

  @Override
  public Integer call() throws Exception {
    List<String> command = RunCommand.argsAfterDashes(this.command);
    if (!command.isEmpty() && command.get(0).startsWith("-") && command.contains("--")) {
      // Everything after the container is the command's, as with docker exec.
      throw new IllegalArgumentException(
          "options go before the container: berth exec [OPTIONS] CONTAINER [--] COMMAND...");
    }
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a command to run is required");
    }
    var here = local.openIfPresent();
    var container = here.flatMap(l -> l.find(name));
    if (container.isPresent()) {
      return LocalExec.run(here.get(), container.get(), command, interactive, tty);
    }
    if (interactive || tty) {
      throw new IllegalArgumentException(
          "-i and -t are for local containers; no local container \"" + name + "\"");
    }
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
