package dev.berth.cli.fleet;

import dev.berth.embedded.EmbeddedKafkaBroker;
import dev.berth.model.pki.CertificateAuthority;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * `berth broker`: the single-node Kafka broker (KRaft) that `berth up` runs in-process, as a
 * process of its own (a small fleet's broker, or one a chaos experiment can kill). It speaks mutual
 * TLS with the fleet's CA only.
 */
@Command(
    name = "broker",
    description =
        "run a single-node Kafka broker (KRaft, mutual TLS with the fleet's CA) for a small fleet")
public final class BrokerCommand implements Callable<Integer> {
  @Option(names = "--data-dir", required = true, description = "its log (kept across restarts)")
  Path dataDir;

  @Option(
      names = "--address",
      defaultValue = "127.0.0.1",
      description = "the address it listens on (an address of this machine, never a wildcard)")
  String address;

  @Option(names = "--port", defaultValue = "9092")
  int port;

  @Option(
      names = "--credentials-dir",
      defaultValue = "/var/lib/berth/control-plane",
      description = "where the fleet's CA is (created there when missing, as a control plane does)")
  Path credentialsDir;

  @Override
  public Integer call() throws Exception {
    EmbeddedKafkaBroker broker =
        EmbeddedKafkaBroker.start(
            dataDir, address, port, CertificateAuthority.openOrCreate(credentialsDir));
    System.out.println("broker ready: " + broker.bootstrapServers() + ", log " + dataDir);
    System.out.flush();
    UntilStopped.await(broker, "stopping broker " + broker.bootstrapServers());
    return 0;
  }
}
