package dev.roster.auditor.anchor;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The auditor's Ed25519 anchor key, read from a file outside the database at start-up. The public
 * key is derived from the private one, so one file is all there is to provision; {@link #keyId()}
 * (the first 16 hex digits of the SHA-256 of the public key's X.509 encoding) names it in every
 * anchor.
 */
@ApplicationScoped
public class AnchorKey {
  private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PEM_END = "-----END PRIVATE KEY-----";

  private final PrivateKey privateKey;
  private final PublicKey publicKey;
  private final String keyId;

  public AnchorKey(AnchorConfig config) {
    Path file =
        config
            .anchorKeyFile()
            .orElseGet(
                () -> {
                  Path dev =
                      Path.of(System.getProperty("java.io.tmpdir"), "roster-auditor")
                          .resolve("anchor-ed25519.pem");
                  Log.warnf(
                      "no anchor key configured (ROSTER_AUDIT_ANCHOR_KEY_FILE): using a development"
                          + " key at %s. Anchors signed with it prove nothing against anyone who"
                          + " can read that file; configure a key from a secret store in"
                          + " production",
                      dev);
                  return dev;
                });
    boolean generate = config.anchorKeyGenerate() || config.anchorKeyFile().isEmpty();
    try {
      if (!Files.exists(file)) {
        if (!generate) {
          throw new IllegalStateException(
              "anchor key file "
                  + file
                  + " does not exist (roster.audit.anchor-key-file); create one with `openssl"
                  + " genpkey -algorithm ed25519 -out <file>` or set"
                  + " roster.audit.anchor-key-generate=true");
        }
        write(file, generate());
        Log.warnf("generated a new anchor key at %s", file);
      }
      privateKey = read(file);
      publicKey = publicOf(privateKey);
      keyId = HexFormat.of().formatHex(sha256(publicKey.getEncoded())).substring(0, 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read anchor key " + file, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("anchor key " + file + " is not an Ed25519 key", e);
    }
    Log.infof("anchor key %s loaded", keyId);
  }

  public String keyId() {
    return keyId;
  }

  public PublicKey publicKey() {
    return publicKey;
  }

  /** The base64 Ed25519 signature of the bytes. */
  public String sign(byte[] bytes) {
    try {
      Signature s = Signature.getInstance(Anchor.ALGORITHM);
      s.initSign(privateKey);
      s.update(bytes);
      return Base64.getEncoder().encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign an anchor", e);
    }
  }

  /** Whether {@code signature} (base64) is this key's signature of the bytes. */
  public boolean verify(byte[] bytes, String signature) {
    try {
      Signature s = Signature.getInstance(Anchor.ALGORITHM);
      s.initVerify(publicKey);
      s.update(bytes);
      return s.verify(Base64.getDecoder().decode(signature));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return false;
    }
  }

  private static KeyPair generate() throws GeneralSecurityException {
    return KeyPairGenerator.getInstance(Anchor.ALGORITHM).generateKeyPair();
  }

  private static void write(Path file, KeyPair pair) throws IOException {
    if (file.getParent() != null) {
      Files.createDirectories(file.getParent());
    }
    String pem =
        PEM_BEGIN
            + "\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n"
            + PEM_END
            + "\n";
    Files.writeString(file, pem, StandardCharsets.US_ASCII);
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private static PrivateKey read(Path file) throws IOException, GeneralSecurityException {
    String pem = Files.readString(file, StandardCharsets.US_ASCII);
    int begin = pem.indexOf(PEM_BEGIN);
    int end = pem.indexOf(PEM_END);
    if (begin < 0 || end < begin) {
      throw new GeneralSecurityException("not a PKCS#8 PEM file (BEGIN PRIVATE KEY)");
    }
    byte[] der =
        Base64.getMimeDecoder().decode(pem.substring(begin + PEM_BEGIN.length(), end).strip());
    return KeyFactory.getInstance(Anchor.ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
  }

  /**
   * The JDK cannot derive an Ed25519 public key from a private one directly; generating a pair from
   * the private key's seed does exactly that (the seed is all the generator draws).
   */
  private static PublicKey publicOf(PrivateKey key) throws GeneralSecurityException {
    if (!(key instanceof EdECPrivateKey ed) || ed.getBytes().isEmpty()) {
      throw new GeneralSecurityException("not an Ed25519 private key");
    }
    byte[] seed = ed.getBytes().get();
    KeyPairGenerator generator = KeyPairGenerator.getInstance(Anchor.ALGORITHM);
    generator.initialize(NamedParameterSpec.ED25519, new Seed(seed));
    KeyPair pair = generator.generateKeyPair();
    byte[] derived = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
    byte[] probe = "roster-anchor-key-check".getBytes(StandardCharsets.US_ASCII);
    Signature s = Signature.getInstance(Anchor.ALGORITHM);
    s.initSign(key);
    s.update(probe);
    byte[] signature = s.sign();
    s.initVerify(pair.getPublic());
    s.update(probe);
    if (!Arrays.equals(seed, derived) || !s.verify(signature)) {
      throw new GeneralSecurityException("cannot derive the public key of the anchor key");
    }
    return pair.getPublic();
  }

  private static byte[] sha256(byte[] bytes) throws GeneralSecurityException {
    return MessageDigest.getInstance("SHA-256").digest(bytes);
  }

  /** Hands the generator the existing seed instead of random bytes. */
  private static final class Seed extends SecureRandom {
    private final byte[] seed;

    Seed(byte[] seed) {
      this.seed = seed.clone();
    }

    @Override
    public void nextBytes(byte[] bytes) {
      if (bytes.length != seed.length) {
        throw new IllegalStateException("unexpected draw of " + bytes.length + " bytes");
      }
      System.arraycopy(seed, 0, bytes, 0, seed.length);
    }
  }
}
