package dev.berth.agent.images.registry;

import java.util.List;

/**
 * Settings for one registry: plain HTTP (loopback registries), mirrors to try first, and basic
 * credentials.
 */
public record RegistryHost(
    String name, boolean plainHttp, List<String> mirrors, String username, String password) {
  public static RegistryHost defaults(String name) {
    boolean loopback =
        name.startsWith("localhost") || name.startsWith("127.") || name.startsWith("[::1]");
    return new RegistryHost(name, loopback, List.of(), null, null);
  }
}
