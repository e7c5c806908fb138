package dev.berth.controlplane.gitops;

import dev.berth.model.gitops.GitCredentials;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.api.TransportCommand;
import org.eclipse.jgit.transport.SshTransport;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.eclipse.jgit.transport.sshd.SshdSessionFactory;
import org.eclipse.jgit.transport.sshd.SshdSessionFactoryBuilder;

/**
 * How a fetch signs in, from a source's credentials: the files are read at each fetch (a rotated
 * token is picked up) and their content never leaves this class. Over ssh only the given key is
 * offered and only a server in the given known_hosts is accepted.
 */
public final class GitAuth {
  /** Largest credentials file read: a token or a key is a few KiB. */
  static final int MAX_FILE = 64 * 1024;

  public static final GitAuth NONE = new GitAuth(null);

  private final GitCredentials credentials;

  public GitAuth(GitCredentials credentials) {
    this.credentials = credentials;
  }

  /** Sets {@code command}'s credentials; IOException naming the file when one cannot be read. */
  void configure(TransportCommand<?, ?> command, Path sshHome) throws IOException {
    if (credentials == null) {
      return;
    }
    if (credentials.passwordFile() != null) {
      String password = read(Path.of(credentials.passwordFile())).strip();
      command.setCredentialsProvider(
          new UsernamePasswordCredentialsProvider(
              credentials.username() == null ? "git" : credentials.username(), password));
    }
    if (credentials.sshKeyFile() != null) {
      Path key = Path.of(credentials.sshKeyFile());
      Path knownHosts = Path.of(credentials.knownHostsFile());
      read(key); // a clear error now rather than a vague one from the handshake
      read(knownHosts);
      File home = sshHome.toFile();
      SshdSessionFactory factory =
          new SshdSessionFactoryBuilder()
              .setHomeDirectory(home)
              .setSshDirectory(home)
              .setDefaultIdentities(dir -> List.of(key))
              .setDefaultKnownHostsFiles(dir -> List.of(knownHosts))
              .setPreferredAuthentications("publickey")
              .build(null);
      command.setTransportConfigCallback(
          t -> {
            if (t instanceof SshTransport ssh) {
              ssh.setSshSessionFactory(factory);
            }
          });
    }
  }

  private static String read(Path file) throws IOException {
    try {
      if (Files.size(file) > MAX_FILE) {
        throw new IOException(file + ": larger than " + MAX_FILE + " bytes, not a credential");
      }
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException(
          "reading credentials "
              + file
              + ": "
              + e.getClass().getSimpleName()
              + " "
              + e.getMessage(),
          e);
    }
  }
}
