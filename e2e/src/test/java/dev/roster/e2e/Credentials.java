package dev.roster.e2e;

import dev.roster.sandbox.iam.Totp;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

  /** A self-signed X.509 certificate in PEM for one person, made by the JDK's keytool. */
  static String certificate(String user) {
    try {
      Path dir = Files.createTempDirectory("roster-e2e-cert");
      Path store = dir.resolve("ks.p12");
      String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
      run(
          List.of(
              keytool,
              "-genkeypair",
              "-alias",
              "e2e",
              "-keyalg",
              "RSA",
              "-keysize",
              "2048",
              "-dname",
              "CN=roster-e2e",
              "-validity",
              "30",
              "-storetype",
              "PKCS12",
              "-keystore",
              store.toString(),
              "-storepass",
              "changeit",
              "-keypass",
              "changeit"));
      Path pem = dir.resolve("cert.pem");
      run(
          List.of(
              keytool,
              "-exportcert",
              "-rfc",
              "-alias",
              "e2e",
              "-keystore",
              store.toString(),
              "-storepass",
              "changeit",
              "-file",
              pem.toString()));
      return Files.readString(pem);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void run(List<String> cmd) throws IOException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
