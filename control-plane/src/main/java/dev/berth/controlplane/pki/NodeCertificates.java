package dev.berth.controlplane.pki;

import dev.berth.model.pki.CertificateAuthority;
import dev.berth.model.pki.FleetIdentities;
import dev.berth.model.pki.PemFiles;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Signs a joining node's certificate request, as the Kubernetes CSR signer does for kubelets: the
 * request must be signed by the key it names (proof of possession); the certificate names the node
 * (CN) as a node (O=berth:nodes), serves its API at 127.0.0.1 and the addresses it gives, and
 * identifies the node to Kafka as a TLS client (whose ACLs give node:NAME its own topics only).
 */
public final class NodeCertificates {
  /** A node's API is reached at a handful of addresses at most. */
  public static final int MAX_ADDRESSES = 8;

  private static final Pattern NODE_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?");
  private static final int MAX_CSR_CHARS = 8192;

  private final CertificateAuthority ca;

  public NodeCertificates(CertificateAuthority ca) {
    this.ca = ca;
  }

  /**
   * Issues node {@code node} a certificate for a new key without a request, for an agent in the
   * control plane's own process (`berth up`): the key, the certificate and the CA go to {@code
   * cert}, {@code key} and {@code caOut}.
   */
  public void issueLocally(String node, List<String> addresses, Path cert, Path key, Path caOut) {
    requireNodeName(node);
    KeyPair pair = CertificateAuthority.newKeyPair();
    LinkedHashSet<String> hosts = new LinkedHashSet<>(List.of("127.0.0.1"));
    addresses.forEach(a -> hosts.add(ipLiteral(a)));
    X509Certificate c =
        ca.issue(node, FleetIdentities.NODES, pair.getPublic(), new ArrayList<>(hosts), true);
    PemFiles.write(key, PemFiles.pem(pair.getPrivate()), true);
    PemFiles.write(caOut, PemFiles.pem(ca.certificate()), false);
    PemFiles.write(cert, PemFiles.pem(c), false);
  }

  /** The CA's own certificate, which the node is given to verify the control planes. */
  public X509Certificate caCertificate() {
    return ca.certificate();
  }

  /**
   * The certificate for node {@code node} at {@code addresses} (IP literals) for the key in {@code
   * csrPem}; IllegalArgumentException names what is wrong with the request.
   */
  public X509Certificate sign(String node, String csrPem, List<String> addresses) {
    requireNodeName(node);
    if (addresses.size() > MAX_ADDRESSES) {
      throw new IllegalArgumentException("addresses: at most " + MAX_ADDRESSES);
    }
    LinkedHashSet<String> hosts = new LinkedHashSet<>(List.of("127.0.0.1"));
    for (String a : addresses) {
      hosts.add(ipLiteral(a));
    }
    PublicKey key = verifiedKey(csrPem);
    return ca.issue(node, FleetIdentities.NODES, key, new ArrayList<>(hosts), true);
  }

  /**
   * A node's name is its certificate's CN, and Kafka's principal mapping turns only such names into
   * node:NAME (KafkaPrincipals): anything else would join and then read nothing.
   */
  private static void requireNodeName(String node) {
    if (node == null || !NODE_NAME.matcher(node).matches()) {
      throw new IllegalArgumentException(
          "node: \"" + node + "\" is not a node name (a DNS name of at most 63 characters)");
    }
  }

  private static String ipLiteral(String text) {
    if (text == null || !text.matches("[0-9a-fA-F:.]{2,45}")) {
      throw new IllegalArgumentException("addresses: \"" + text + "\" is not an IP address");
    }
    try {
      return InetAddress.getByName(text).getHostAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("addresses: \"" + text + "\" is not an IP address", e);
    }
  }

  private static PublicKey verifiedKey(String csrPem) {
    if (csrPem == null || csrPem.length() > MAX_CSR_CHARS) {
      throw new IllegalArgumentException("csr: a PEM certificate request is required");
    }
    try (PEMParser pem = new PEMParser(new StringReader(csrPem))) {
      if (!(pem.readObject() instanceof PKCS10CertificationRequest csr)) {
        throw new IllegalArgumentException("csr: no PEM certificate request (PKCS#10)");
      }
      // the JDK's names for the key's algorithm, not its OID (which only BC's provider knows)
      PublicKey key = new JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key))) {
        throw new IllegalArgumentException("csr: not signed by the key it names");
      }
      return key;
    } catch (IOException | OperatorCreationException | PKCSException | RuntimeException e) {
      if (e instanceof IllegalArgumentException iae) {
        throw iae;
      }
      throw new IllegalArgumentException("csr: unreadable: " + e.getMessage(), e);
    }
  }
}
