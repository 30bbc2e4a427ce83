package dev.roster.e2e;

import dev.roster.sandbox.iam.Totp;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.VirtualMFADevice;

/** Every way into AWS a person can create for themselves, created as they would. */
final class Credentials {
  private static volatile String sshKey;

  private Credentials() {}

  static void seed(IamClient iam, String user) {
    iam.createLoginProfile(b -> b.userName(user).password("E2e-Passw0rd-" + user));
    iam.createAccessKey(b -> b.userName(user));
    iam.createAccessKey(b -> b.userName(user));
    iam.uploadSSHPublicKey(b -> b.userName(user).sshPublicKeyBody(sshKey()));
    iam.createServiceSpecificCredential(
        b -> b.userName(user).serviceName("codecommit.amazonaws.com"));
    // IAM refuses the same certificate twice in an account: everyone gets their own.
    String cert = certificate(user);
    iam.uploadSigningCertificate(b -> b.userName(user).certificateBody(cert));
    VirtualMFADevice mfa =
        iam.createVirtualMFADevice(b -> b.virtualMFADeviceName(user)).virtualMFADevice();
    String seed = mfa.base32StringSeed().asUtf8String();
    long step = System.currentTimeMillis() / 30_000;
    iam.enableMFADevice(
        b ->
            b.userName(user)
                .serialNumber(mfa.serialNumber())
                .authenticationCode1(Totp.code(seed, step - 1))
                .authenticationCode2(Totp.code(seed, step)));
    iam.putUserPolicy(
        b ->
            b.userName(user)
                .policyName("personal-extra")
                .policyDocument(
                    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
                        + "\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}]}"));
    iam.attachUserPolicy(b -> b.userName(user).policyArn("arn:aws:iam::aws:policy/ReadOnlyAccess"));
  }

  /** An RSA public key in OpenSSH format ({@code ssh-rsa AAAA...}). */
  static synchronized String sshKey() {
    if (sshKey == null) {
      try {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        writeBlob(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
        writeBlob(out, key.getPublicExponent().toByteArray());
        writeBlob(out, key.getModulus().toByteArray());
        sshKey = "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray()) + " e2e";
      } catch (NoSuchAlgorithmException | IOException e) {
        throw new IllegalStateException(e);
      }
    }
    return sshKey;
  }

  private static void writeBlob(DataOutputStream out, byte[] blob) throws IOException {
    out.writeInt(blob.length);
    out.write(blob);
  }

  /**
   * A self-signed X.509 v3 certificate in PEM for one person, DER-encoded by hand (the JDK has no
   * public certificate builder, and a keytool process per person is too slow for a crowd).
   */
  static String certificate(String user) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      KeyPair pair = g.generateKeyPair();
      byte[] sha256WithRsa =
          der(0x30, cat(der(0x06, new byte[] {42, -122, 72, -122, -9, 13, 1, 1, 11}), der(0x05)));
      byte[] name =
          der(
              0x30,
              der(
                  0x31,
                  der(
                      0x30,
                      cat(
                          der(0x06, new byte[] {85, 4, 3}),
                          der(0x0c, user.getBytes(StandardCharsets.UTF_8))))));
      DateTimeFormatter utc =
          DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
      Instant now = Instant.now();
      byte[] validity =
          der(
              0x30,
              cat(
                  der(
                      0x17,
                      utc.format(now.minus(Duration.ofDays(1)))
                          .getBytes(StandardCharsets.US_ASCII)),
                  der(
                      0x17,
                      utc.format(now.plus(Duration.ofDays(30)))
                          .getBytes(StandardCharsets.US_ASCII))));
      byte[] tbs =
          der(
              0x30,
              cat(
                  der(0xa0, der(0x02, new byte[] {2})),
                  der(0x02, BigInteger.valueOf(now.toEpochMilli()).toByteArray()),
                  sha256WithRsa,
                  name,
                  validity,
                  name,
                  pair.getPublic().getEncoded()));
      Signature sig = Signature.getInstance("SHA256withRSA");
      sig.initSign(pair.getPrivate());
      sig.update(tbs);
      byte[] cert = der(0x30, cat(tbs, sha256WithRsa, der(0x03, cat(new byte[] {0}, sig.sign()))));
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert)
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] der(int tag, byte[]... content) {
    byte[] body = cat(content);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = body.length;
    if (n < 128) {
      out.write(n);
    } else {
      byte[] len = BigInteger.valueOf(n).toByteArray();
      int skip = len[0] == 0 ? 1 : 0;
      out.write(0x80 | (len.length - skip));
      out.write(len, skip, len.length - skip);
    }
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static byte[] cat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
