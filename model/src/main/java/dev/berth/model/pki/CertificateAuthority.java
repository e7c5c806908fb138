package dev.berth.model.pki;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The fleet's own certificate authority (ca.crt, ca.key): created once, as kubeadm creates the
 * cluster CA, then it issues the API's serving certificate, each node's certificate and the Kafka
 * broker's. ECDSA P-256 keys; the CA lasts ten years, what it issues one year (kubeadm's choices).
 */
public final class CertificateAuthority {
  public static final String CERT_FILE = "ca.crt";
  public static final String KEY_FILE = "ca.key";

  private static final Duration CA_VALIDITY = Duration.ofDays(3650);
  private static final Duration LEAF_VALIDITY = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate certificate;
  private final PrivateKey key;
  private final Path dir;

  private CertificateAuthority(X509Certificate certificate, PrivateKey key, Path dir) {
    this.certificate = certificate;
    this.key = key;
    this.dir = dir;
  }

  /** The fleet's CA in {@code dir}, created there first (named berth-ca) if it has none. */
  public static CertificateAuthority openOrCreate(Path dir) {
    return openOrCreate(dir, "berth-ca");
  }

  /** The CA in {@code dir}, created there first if it has none. */
  public static CertificateAuthority openOrCreate(Path dir, String name) {
    Path cert = dir.resolve(CERT_FILE);
    Path keyFile = dir.resolve(KEY_FILE);
    if (Files.exists(cert) && Files.exists(keyFile)) {
      return new CertificateAuthority(
          PemFiles.readCertificate(cert), PemFiles.readPrivateKey(keyFile), dir);
    }
    KeyPair pair = newKeyPair();
    X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).build();
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  subject,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(CA_VALIDITY)),
                  subject,
                  pair.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier,
                  false,
                  ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate ca = sign(b, pair.getPrivate());
      // the key first: a crash between the two leaves no certificate without its key
      PemFiles.write(keyFile, PemFiles.pem(pair.getPrivate()), true);
      PemFiles.write(cert, PemFiles.pem(ca), false);
      return new CertificateAuthority(ca, pair.getPrivate(), dir);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot create a certificate authority in " + dir, e);
    }
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** The file holding the CA's certificate (what the fleet's peers trust). */
  public Path certificateFile() {
    return dir.resolve(CERT_FILE);
  }

  /**
   * Issues a new key a certificate (see {@link #issue}) and writes both, the key first (0600), to
   * {@code cert} and {@code key}: the identity's files, with this CA as the one it trusts.
   */
  public TlsFiles issueFiles(
      String commonName,
      String organization,
      List<String> hosts,
      boolean client,
      Path cert,
      Path key) {
    KeyPair pair = newKeyPair();
    PemFiles.write(key, PemFiles.pem(pair.getPrivate()), true);
    PemFiles.write(
        cert,
        PemFiles.pem(issue(commonName, organization, pair.getPublic(), hosts, client)),
        false);
    return new TlsFiles(certificateFile(), cert, key);
  }

  /** A new ECDSA P-256 key pair. */
  public static KeyPair newKeyPair() {
    return KeyPairs.p256();
  }

  /**
   * A certificate for {@code publicKey} named {@code commonName} (and {@code organization}, when
   * not null), valid for TLS servers at {@code hosts} (IP addresses or DNS names; none: not a
   * server) and, when {@code client}, for TLS clients.
   */
  public X509Certificate issue(
      String commonName,
      String organization,
      PublicKey publicKey,
      List<String> hosts,
      boolean client) {
    X500NameBuilder name = new X500NameBuilder(BCStyle.INSTANCE);
    if (organization != null) {
      name.addRDN(BCStyle.O, organization);
    }
    name.addRDN(BCStyle.CN, commonName);
    Instant now = Instant.now();
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      List<KeyPurposeId> purposes = new ArrayList<>();
      if (!hosts.isEmpty()) {
        purposes.add(KeyPurposeId.id_kp_serverAuth);
      }
      if (client) {
        purposes.add(KeyPurposeId.id_kp_clientAuth);
      }
      X509v3CertificateBuilder b =
          new JcaX509v3CertificateBuilder(
                  certificate,
                  serial(),
                  Date.from(now.minus(Duration.ofMinutes(5))),
                  Date.from(now.plus(LEAF_VALIDITY)),
                  name.build(),
                  publicKey)
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage,
                  false,
                  new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new)))
              .addExtension(
                  Extension.authorityKeyIdentifier,
                  false,
                  ext.createAuthorityKeyIdentifier(certificate))
              .addExtension(
                  Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey));
      if (!hosts.isEmpty()) {
        b.addExtension(Extension.subjectAlternativeName, false, alternativeNames(hosts));
      }
      return sign(b, key);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("cannot issue a certificate to " + commonName, e);
    }
  }

  private static GeneralNames alternativeNames(List<String> hosts) {
    List<GeneralName> names = new ArrayList<>();
    for (String h : hosts) {
      names.add(
          isIpLiteral(h)
              ? new GeneralName(GeneralName.iPAddress, h)
              : new GeneralName(GeneralName.dNSName, h));
    }
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  private static boolean isIpLiteral(String host) {
    if (host.contains(":")) {
      return true;
    }
    if (!host.matches("[0-9.]+")) {
      return false;
    }
    try {
      InetAddress.getByName(host); // a literal: no lookup
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws GeneralSecurityException {
    try {
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot sign with the CA's key", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(127, RANDOM); // positive, unpredictable (CA/B Forum: at least 64 bits)
  }
}
