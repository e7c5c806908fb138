package dev.berth.agent.images.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An agent's registry settings, read from a YAML (or JSON) file as containerd reads its hosts
 * configuration:
 *
 * <pre>
 * registries:
 *   registry.example.com:
 *     mirrors: [mirror.example.com:5000]   # tried first, in order
 *     plainHttp: false
 *     username: puller                     # Basic, or for the registry's token service
 *     password: secret
 * </pre>
 */
public final class RegistryHostsFile {
  static final long MAX_BYTES = 1 << 20;
  static final int MAX_REGISTRIES = 256;
  static final int MAX_MIRRORS = 16;

  private static final ObjectMapper YAML =
      YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private record FileBody(Map<String, Entry> registries) {}

  private record Entry(
      List<String> mirrors,
      @JsonProperty("plainHttp") boolean plainHttp,
      String username,
      String password) {}

  private RegistryHostsFile() {}

  /**
   * The settings by registry host; a file that is too big, malformed or over a bound is refused,
   * naming why.
   */
  public static Map<String, RegistryHost> read(Path file) throws IOException {
    long size = Files.size(file);
    if (size > MAX_BYTES) {
      throw new IOException(
          file + ": " + size + " bytes, more than the " + MAX_BYTES + " a registry file may have");
    }
    byte[] bytes = Files.readAllBytes(file);
    FileBody body;
    try {
      body =
          new String(bytes, StandardCharsets.UTF_8).isBlank()
              ? null
              : YAML.readValue(bytes, FileBody.class);
    } catch (IOException e) {
      throw new IOException(
          file
              + ": not a registry file: "
              + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()),
          e);
    }
    Map<String, RegistryHost> hosts = new LinkedHashMap<>();
    if (body == null || body.registries() == null) {
      return hosts;
    }
    if (body.registries().size() > MAX_REGISTRIES) {
      throw new IOException(
          file + ": " + body.registries().size() + " registries, more than " + MAX_REGISTRIES);
    }
    for (Map.Entry<String, Entry> e : body.registries().entrySet()) {
      String name = e.getKey();
      Entry entry = e.getValue() == null ? new Entry(null, false, null, null) : e.getValue();
      List<String> mirrors = entry.mirrors() == null ? List.of() : entry.mirrors();
      if (mirrors.size() > MAX_MIRRORS) {
        throw new IOException(file + ": registries." + name + ".mirrors: more than " + MAX_MIRRORS);
      }
      if (mirrors.stream().anyMatch(m -> m == null || m.isBlank())) {
        throw new IOException(file + ": registries." + name + ".mirrors: an empty mirror");
      }
      if ((entry.username() == null) != (entry.password() == null)) {
        throw new IOException(
            file + ": registries." + name + ": username and password go together");
      }
      boolean plainHttp = entry.plainHttp() || RegistryHost.defaults(name).plainHttp();
      hosts.put(
          name,
          new RegistryHost(
              name, plainHttp, List.copyOf(mirrors), entry.username(), entry.password()));
    }
    return hosts;
  }
}
