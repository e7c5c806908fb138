package dev.berth.agent.images.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent's registry file: mirrors, credentials and plain HTTP by host; a bad file is refused,
 * naming why.
 */
class RegistryHostsFileTest {
  @TempDir Path dir;

  private Map<String, RegistryHost> read(String yaml) throws IOException {
    return RegistryHostsFile.read(Files.writeString(dir.resolve("registries.yaml"), yaml));
  }

  private String refusal(String yaml) {
    return assertThrows(IOException.class, () -> read(yaml)).getMessage();
  }

  @Test
  void mirrorsCredentialsAndPlainHttpAreReadPerHost() throws Exception {
    Map<String, RegistryHost> hosts =
        read(
            """
        registries:
          registry.example.com:
            mirrors: [mirror.example.com:5000, "http://127.0.0.1:5001"]
            username: puller
            password: s3cret
          build.lan:5000:
            plainHttp: true
          127.0.0.1:5002: {}
        """);
    RegistryHost main = hosts.get("registry.example.com");
    assertEquals(List.of("mirror.example.com:5000", "http://127.0.0.1:5001"), main.mirrors());
    assertEquals("puller", main.username());
    assertEquals("s3cret", main.password());
    assertFalse(main.plainHttp(), "TLS unless asked otherwise");
    assertTrue(hosts.get("build.lan:5000").plainHttp());
    assertTrue(
        hosts.get("127.0.0.1:5002").plainHttp(),
        "loopback registries are plain HTTP, as without a file");
  }

  @Test
  void anEmptyFileMeansNoSettings() throws Exception {
    assertEquals(Map.of(), read(""));
  }

  @Test
  void aFieldBerthDoesNotKnowIsRefusedNotIgnored() {
    assertTrue(refusal("registries:\n  r.example.com:\n    insecure: true\n").contains("insecure"));
  }

  @Test
  void aUserWithoutAPasswordIsRefused() {
    assertTrue(refusal("registries:\n  r.example.com:\n    username: u\n").contains("go together"));
  }

  @Test
  void tooManyMirrorsAreRefused() {
    StringBuilder yaml = new StringBuilder("registries:\n  r.example.com:\n    mirrors:\n");
    for (int i = 0; i <= RegistryHostsFile.MAX_MIRRORS; i++) {
      yaml.append("      - m").append(i).append(".example.com\n");
    }
    assertTrue(refusal(yaml.toString()).contains("more than " + RegistryHostsFile.MAX_MIRRORS));
  }

  @Test
  void anOversizedFileIsRefusedBeforeItIsParsed() throws Exception {
    Path big = dir.resolve("big.yaml");
    Files.write(big, new byte[(int) RegistryHostsFile.MAX_BYTES + 1]);
    IOException e = assertThrows(IOException.class, () -> RegistryHostsFile.read(big));
    assertTrue(e.getMessage().contains("more than"), e.getMessage());
  }
}
