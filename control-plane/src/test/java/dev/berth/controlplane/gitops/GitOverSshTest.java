package dev.berth.controlplane.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.berth.model.gitops.FetchedCommit;
import dev.berth.model.gitops.GitCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.shell.ProcessShellCommandFactory;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source over ssh: an ssh server on loopback (Apache MINA sshd, running git-upload-pack as git's
 * own ssh transport does) that accepts one key; the mirror signs in with the key file and accepts
 * the server only as its known_hosts file vouches for it.
 */
class GitOverSshTest {
  @TempDir Path dir;
  private SshServer server;
  private Path clientKey;
  private Path knownHosts;
  private TestRepository repo;

  @BeforeEach
  void server() throws Exception {
    clientKey = keygen("client");
    Path hostKey = keygen("host");
    server = SshServer.setUpDefaultServer();
    server.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    server.setPort(0);
    server.setKeyPairProvider(new FileKeyPairProvider(hostKey));
    Path authorized = dir.resolve("authorized_keys");
    Files.copy(Path.of(clientKey + ".pub"), authorized);
    server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorized));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setCommandFactory(ProcessShellCommandFactory.INSTANCE);
    server.start();
    knownHosts = dir.resolve("known_hosts");
    Files.writeString(
        knownHosts,
        "[127.0.0.1]:" + server.getPort() + " " + Files.readString(Path.of(hostKey + ".pub")));
    repo = TestRepository.create(dir, "apps");
  }

  @AfterEach
  void stop() throws IOException {
    repo.close();
    server.stop(true);
  }

  private Path keygen(String name) throws Exception {
    Path key = dir.resolve(name);
    Process p =
        new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", key.toString())
            .redirectErrorStream(true)
            .start();
    assertEquals(0, p.waitFor(), new String(p.getInputStream().readAllBytes()));
    return key;
  }

  private String url() {
    return "ssh://berth@127.0.0.1:" + server.getPort() + repo.bare;
  }

  @Test
  void fetchesWithTheKeyFromAServerItsKnownHostsVouchesFor() throws Exception {
    RevCommit c = repo.push("one", "a.yaml", "name: a\nimage: local/a:1\n");
    GitAuth auth =
        new GitAuth(new GitCredentials(null, null, clientKey.toString(), knownHosts.toString()));
    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), url(), auth)) {
      FetchedCommit fetched = mirror.fetch("main");
      assertEquals(c.name(), fetched.sha());
      assertTrue(mirror.manifests(fetched.sha(), "").containsKey("a.yaml"));
    }
  }

  @Test
  void aServerNotInKnownHostsIsRefused() throws Exception {
    repo.push("one", "a.yaml", "name: a\nimage: local/a:1\n");
    Path otherHost = keygen("other");
    Files.writeString(
        knownHosts,
        "[127.0.0.1]:" + server.getPort() + " " + Files.readString(Path.of(otherHost + ".pub")));
    GitAuth auth =
        new GitAuth(new GitCredentials(null, null, clientKey.toString(), knownHosts.toString()));
    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), url(), auth)) {
      IOException e = assertThrows(IOException.class, () -> mirror.fetch("main"));
      assertTrue(e.getMessage().contains(url()), e.getMessage());
    }
  }

  @Test
  void aKeyTheServerDoesNotKnowIsRefused() throws Exception {
    repo.push("one", "a.yaml", "name: a\nimage: local/a:1\n");
    Path stranger = keygen("stranger");
    GitAuth auth =
        new GitAuth(new GitCredentials(null, null, stranger.toString(), knownHosts.toString()));
    try (GitMirror mirror = GitMirror.open(dir.resolve("mirror"), url(), auth)) {
      assertThrows(IOException.class, () -> mirror.fetch("main"));
    }
  }
}
