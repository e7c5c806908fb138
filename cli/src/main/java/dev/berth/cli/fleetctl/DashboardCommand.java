package dev.berth.cli.fleetctl;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * `berth dashboard`: the dashboard's address with a sign-in link for the config's token (in the
 * fragment, which the browser never sends to a server, and which the page takes out of the address
 * bar at once), as `jupyter notebook` prints its token URL.
 */
@Command(name = "dashboard", description = "print the dashboard's address, with a sign-in link")
public final class DashboardCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Override
  public Integer call() throws Exception {
    ApiClient client = api.client();
    System.out.println(client.server() + "/");
    System.out.println("signed in: " + client.signInLink());
    System.out.println(
        "(the page is served over TLS with the fleet's own CA: import "
            + (client.certificateAuthority() == null
                ? "the fleet's ca.crt"
                : client.certificateAuthority())
            + " into the browser, or accept it once)");
    return 0;
  }
}
