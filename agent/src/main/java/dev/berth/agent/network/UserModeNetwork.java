package dev.berth.agent.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.model.JsonMapping;
import dev.berth.model.network.PortMapping;
import dev.berth.runtime.process.ProcessStat;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Networking for the containers of an agent that runs in a user namespace of its own (`berth up
 * --rootless`), where no veth can reach the host's network: one slirp4netns per container, as
 * Podman's rootless default, giving the container tap0 (10.0.2.100, gateway 10.0.2.2, DNS 10.0.2.3)
 * and the host's network through user-mode NAT; published ports listen on the host's loopback
 * through its API (add_hostfwd). The process is recorded beside the attachment and ends with it.
 */
public final class UserModeNetwork {
  /** The interface slirp4netns makes in the container's namespace. */
  public static final String INTERFACE = "tap0";

  /** The container's address on it (slirp4netns --configure). */
  public static final String GUEST_ADDRESS = "10.0.2.100";

  private static final long READY_MILLIS = 10_000;

  private final Path binary;

  private UserModeNetwork(Path binary) {
    this.binary = binary;
  }

  /** slirp4netns from Debian's package; an error naming the package when it is missing. */
  public static UserModeNetwork find() throws IOException {
    for (String dir : List.of("/usr/bin", "/usr/local/bin", "/bin")) {
      Path p = Path.of(dir, "slirp4netns");
      if (Files.isExecutable(p)) {
        return new UserModeNetwork(p);
      }
    }
    throw new IOException(
        "rootless networking needs slirp4netns (Debian package slirp4netns); it is not installed");
  }

  /** What runs for one container: the process (pid and start time) and its API socket. */
  public record Attached(int pid, long startTime, String apiSocket) {}

  /** Where a container's slirp4netns is recorded, beside its attachment record. */
  static Path recordOf(Path attachmentRecord) {
    return attachmentRecord.resolveSibling("usermode.json");
  }

  /**
   * Starts slirp4netns for the namespace at {@code netns}, waits until tap0 is up, publishes {@code
   * ports} on the host's loopback and records it beside {@code attachmentRecord}; on failure the
   * process is stopped.
   */
  public Attached attach(Path attachmentRecord, String netns, List<PortMapping> ports)
      throws IOException {
    Path socket = attachmentRecord.resolveSibling("slirp.sock");
    Files.deleteIfExists(socket);
    Path log = attachmentRecord.resolveSibling("slirp.log");
    Process p =
        new ProcessBuilder(
                binary.toString(),
                "--configure",
                "--mtu=65520",
                "--disable-host-loopback",
                "--netns-type=path",
                "--api-socket",
                socket.toString(),
                netns,
                INTERFACE)
            .redirectInput(new File("/dev/null"))
            .redirectOutput(log.toFile())
            .redirectErrorStream(true)
            .start();
    long startTime = ProcessStat.of((int) p.pid()).map(ProcessStat::startTime).orElse(0L);
    Attached a = new Attached((int) p.pid(), startTime, socket.toString());
    Files.write(recordOf(attachmentRecord), JsonMapping.mapper().writeValueAsBytes(a));
    try {
      awaitReady(p, socket, log);
      for (PortMapping port : ports) {
        publish(socket, port);
      }
      return a;
    } catch (IOException | RuntimeException e) {
      detach(attachmentRecord);
      throw e;
    }
  }

  /** Stops the container's slirp4netns, if it is still the process recorded; drops the record. */
  public static void detach(Path attachmentRecord) throws IOException {
    Path record = recordOf(attachmentRecord);
    if (!Files.exists(record)) {
      return;
    }
    Attached a = JsonMapping.mapper().readValue(record.toFile(), Attached.class);
    // the start time tells a reused pid (another namespace, a later boot) from ours
    boolean ours = ProcessStat.of(a.pid()).map(s -> s.startTime() == a.startTime()).orElse(false);
    if (ours) {
      ProcessHandle.of(a.pid())
          .ifPresent(
              h -> {
                h.destroy();
                try {
                  h.onExit().get(5, TimeUnit.SECONDS);
                } catch (Exception slow) {
                  h.destroyForcibly();
                }
              });
    }
    Files.deleteIfExists(Path.of(a.apiSocket()));
    Files.deleteIfExists(record);
  }

  /** Ready when its API answers: slirp4netns opens the socket after configuring tap0. */
  private static void awaitReady(Process p, Path socket, Path log) throws IOException {
    long until = System.currentTimeMillis() + READY_MILLIS;
    while (System.currentTimeMillis() < until) {
      if (!p.isAlive()) {
        throw new IOException(
            "slirp4netns exited with "
                + p.exitValue()
                + ": "
                + Files.readString(log).strip().replace('\n', ' '));
      }
      if (Files.exists(socket)) {
        try {
          call(socket, "{\"execute\":\"list_hostfwd\"}");
          return;
        } catch (IOException notYet) {
          // listening soon
        }
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted waiting for slirp4netns", e);
      }
    }
    throw new IOException("slirp4netns did not come up within " + READY_MILLIS + " ms");
  }

  private static void publish(Path socket, PortMapping port) throws IOException {
    ObjectNode args = JsonMapping.mapper().createObjectNode();
    args.put("proto", port.protocol() == null ? "tcp" : port.protocol().toLowerCase());
    args.put("host_addr", port.hostIP() == null ? "127.0.0.1" : port.hostIP());
    args.put("host_port", port.hostPort());
    args.put("guest_port", port.containerPort());
    ObjectNode request = JsonMapping.mapper().createObjectNode();
    request.put("execute", "add_hostfwd");
    request.set("arguments", args);
    JsonNode answer = call(socket, JsonMapping.writeCompact(request));
    if (answer.has("error")) {
      throw new IOException(
          "cannot publish "
              + args.path("host_addr").asText()
              + ":"
              + port.hostPort()
              + " to port "
              + port.containerPort()
              + ": "
              + answer.path("error").path("desc").asText(answer.path("error").toString()));
    }
  }

  /** One request on slirp4netns's API socket: JSON in, JSON out, then it closes. */
  private static JsonNode call(Path socket, String request) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.UTF_8)));
      ch.shutdownOutput();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (ch.read(buf) > 0 && out.size() < 1 << 20) {
        out.write(buf.array(), 0, buf.position());
        buf.clear();
      }
      return JsonMapping.mapper().readTree(out.toByteArray());
    }
  }
}
