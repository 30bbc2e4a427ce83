package dev.roster.sandbox.iam;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

/** Key material for the credential tests: fresh SSH keys and the committed test certificates. */
final class TestKeys {
  private TestKeys() {}

  /** A fresh OpenSSH {@code ssh-rsa} public key of {@code bits} bits. */
  static String sshRsa(int bits) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
      gen.initialize(bits);
      RSAPublicKey key = (RSAPublicKey) gen.generateKeyPair().getPublic();
      ByteArrayOutputStream blob = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(blob);
      write(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
      write(out, key.getPublicExponent().toByteArray());
      write(out, key.getModulus().toByteArray());
      return "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " test@roster";
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void write(DataOutputStream out, byte[] bytes) throws IOException {
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /** A self-signed test certificate (PEM), {@code n} in 1..3. */
  static String certificate(int n) {
    try (InputStream in = TestKeys.class.getResourceAsStream("/iam/cert" + n + ".pem")) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
