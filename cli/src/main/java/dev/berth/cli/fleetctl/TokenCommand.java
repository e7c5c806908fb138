package dev.berth.cli.fleetctl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `berth token create|revoke|list`: the fleet's API tokens (an admin token is needed). */
@Command(
    name = "token",
    description = "create, revoke or list the API's bearer tokens",
    subcommands = {
      TokenCommand.Create.class,
      TokenCommand.Revoke.class,
      TokenCommand.ListTokens.class
    })
public final class TokenCommand {
  /** `berth token create NAME --role ROLE`: prints the secret, once. */
  @Command(name = "create", description = "make a token; its secret is printed this once")
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", description = "a name for it (a DNS label: ci, alice, dashboard)")
    String name;

    @Option(
        names = "--role",
        required = true,
        description =
            "viewer (reads, logs), operator (also apply, delete, exec) or admin (also" + " tokens)")
    String role;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      var body =
          dev.berth.model.JsonMapping.mapper()
              .createObjectNode()
              .put("name", name)
              .put("role", role);
      ApiClient.Answer a =
          api.client().send("POST", "/v1/tokens", "application/json", body.toString().getBytes());
      if (a.status() != 201) {
        System.err.println("berth: " + ApiClient.error(a));
        return 1;
      }
      System.out.println(a.body().path("token").asText());
      System.err.println(
          "token "
              + name
              + " ("
              + a.body().path("role").asText()
              + ") created: keep the secret above, it is not shown again");
      return 0;
    }
  }

  /** `berth token revoke NAME`. */
  @Command(name = "revoke", description = "revoke a token: every control plane refuses it at once")
  static final class Revoke implements Callable<Integer> {
    @Parameters(index = "0")
    String name;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer a = api.client().send("DELETE", "/v1/tokens/" + name, null, null);
      if (a.status() != 200) {
        System.err.println("berth: " + ApiClient.error(a));
        return 1;
      }
      System.out.println("token " + name + " revoked");
      return 0;
    }
  }

  /** `berth token list`: names, roles and ages, never secrets. */
  @Command(name = "list", description = "list the tokens (names and roles, never secrets)")
  static final class ListTokens implements Callable<Integer> {
    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      ApiClient.Answer a = api.client().send("GET", "/v1/tokens", null, null);
      if (a.status() != 200) {
        System.err.println("berth: " + ApiClient.error(a));
        return 1;
      }
      System.out.printf("%-32s %-9s %s%n", "NAME", "ROLE", "CREATED");
      for (JsonNode t : a.body().path("items")) {
        System.out.printf(
            "%-32s %-9s %s%n",
            t.path("name").asText(),
            t.path("role").asText(),
            Instant.ofEpochMilli(t.path("createdMillis").asLong()));
      }
      return 0;
    }
  }
}
