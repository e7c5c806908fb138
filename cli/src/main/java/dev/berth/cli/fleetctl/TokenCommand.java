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
            "viewer (reads, logs), operator (also apply, delete, exec), admin (also tokens) or"
                + " join (a node's first start; lasts 24h unless --ttl says otherwise)")
    String role;

    @Option(
        names = "--ttl",
        description =
            "how long it lasts: N followed by s, m, h or d (default: for ever; join: 24h)")
    String ttl;

    @Mixin ApiOptions api = new ApiOptions();

    @Override
    public Integer call() throws Exception {
      var body =
          dev.berth.model.JsonMapping.mapper()
              .createObjectNode()
              .put("name", name)
              .put("role", role);
      if (ttl != null) {
        if (!ttl.matches("[1-9][0-9]{0,8}[smhd]")) {
          System.err.println("berth: --ttl: N followed by s, m, h or d (e.g. 24h), not " + ttl);
          return 1;
        }
        long n = Long.parseLong(ttl.substring(0, ttl.length() - 1));
        long unit =
            switch (ttl.charAt(ttl.length() - 1)) {
              case 's' -> 1;
              case 'm' -> 60;
              case 'h' -> 3600;
              default -> 86400;
            };
        body.put("ttlSeconds", n * unit);
      }
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
      System.out.printf("%-32s %-9s %-24s %s%n", "NAME", "ROLE", "CREATED", "EXPIRES");
      for (JsonNode t : a.body().path("items")) {
        long expires = t.path("expiresMillis").asLong();
        System.out.printf(
            "%-32s %-9s %-24s %s%n",
            t.path("name").asText(),
            t.path("role").asText(),
            Instant.ofEpochMilli(t.path("createdMillis").asLong()),
            expires == 0 ? "never" : Instant.ofEpochMilli(expires).toString());
      }
      return 0;
    }
  }
}
