package dev.berth.embedded;

/**
 * Makes Vert.x resolve host names with the JDK (getaddrinfo on a worker) instead of Netty's DNS
 * client, whose UDP socket is bound to the wildcard address: no Berth process may listen on one.
 * Call before the first Vert.x instance is made.
 */
public final class JdkAddressResolver {
  private JdkAddressResolver() {}

  public static void install() {
    System.setProperty("vertx.disableDnsResolver", "true");
  }
}
