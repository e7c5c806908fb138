package dev.berth.model.pki;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** Reads and writes certificates and private keys as PEM files; keys only root can read. */
public final class PemFiles {
  private PemFiles() {}

  /** The certificate in {@code file}. */
  public static X509Certificate readCertificate(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read certificate " + file + ": " + e.getMessage(), e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "not a PEM certificate: " + file + ": " + e.getMessage(), e);
    }
  }

  /** The private key in {@code file} (PKCS#8, or OpenSSL's traditional EC/RSA form). */
  public static PrivateKey readPrivateKey(Path file) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(in)) {
      Object o = pem.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      if (o instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      throw new IllegalArgumentException("no private key in " + file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read private key " + file + ": " + e.getMessage(), e);
    }
  }

  /** {@code objects} (certificates, keys) as PEM text. */
  public static String pem(Object... objects) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        if (o instanceof PrivateKey key) {
          // PKCS#8 ("PRIVATE KEY"), which Vert.x, Netty and OpenSSL all read, not SEC1
          w.writeObject(new JcaPKCS8Generator(key, null));
        } else {
          w.writeObject(o);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Replaces {@code file} with {@code text} in one step, readable by everyone ({@code secret}
   * false) or by its owner only (never visible with wider permissions, not even for a moment).
   */
  public static void write(Path file, String text, boolean secret) {
    try {
      Path dir = file.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp =
          Files.createTempFile(
              dir,
              "." + file.getFileName(),
              ".tmp",
              PosixFilePermissions.asFileAttribute(
                  PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
      try {
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
