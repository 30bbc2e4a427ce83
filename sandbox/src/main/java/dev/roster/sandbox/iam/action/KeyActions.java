package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.model.SigningCertificate;
import dev.roster.sandbox.iam.model.SshKey;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Pages;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Status;
import dev.roster.sandbox.iam.protocol.Xml;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** SSH public keys and X.509 signing certificates. */
final class KeyActions {
  static final int SSH_KEYS_PER_USER = 5;
  static final int CERTIFICATES_PER_USER = 2;

  private KeyActions() {}

  static void register(Map<String, Handler> r) {
    r.put("UploadSSHPublicKey", KeyActions::uploadSshKey);
    r.put("ListSSHPublicKeys", KeyActions::listSshKeys);
    r.put("UpdateSSHPublicKey", KeyActions::updateSshKey);
    r.put("DeleteSSHPublicKey", KeyActions::deleteSshKey);
    r.put("UploadSigningCertificate", KeyActions::uploadCertificate);
    r.put("ListSigningCertificates", KeyActions::listCertificates);
    r.put("UpdateSigningCertificate", KeyActions::updateCertificate);
    r.put("DeleteSigningCertificate", KeyActions::deleteCertificate);
  }

  // ---- SSH ----

  private static void uploadSshKey(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 64));
    String body = p.text("SSHPublicKeyBody", 1, 16384).strip();
    byte[] blob = sshRsaBlob(body);
    String fingerprint = fingerprint(blob);
    for (SshKey k : u.sshKeys) {
      if (k.fingerprint.equals(fingerprint)) {
        throw new IamException(
            "DuplicateSSHPublicKey",
            400,
            true,
            "The SSH public key is already uploaded for this user.");
      }
    }
    if (u.sshKeys.size() >= SSH_KEYS_PER_USER) {
      throw IamException.quota("SSHPublicKeysPerUser", SSH_KEYS_PER_USER);
    }
    SshKey k = new SshKey();
    k.id = Ids.accessKeyId("APKA");
    k.body = body;
    k.fingerprint = fingerprint;
    k.uploadDate = c.now();
    u.sshKeys.add(k);
    x.start("SSHPublicKey")
        .el("UserName", u.name)
        .el("SSHPublicKeyId", k.id)
        .el("Fingerprint", k.fingerprint)
        .el("SSHPublicKeyBody", k.body)
        .el("Status", k.status)
        .el("UploadDate", k.uploadDate)
        .end("SSHPublicKey");
  }

  /**
   * The key blob of an OpenSSH {@code ssh-rsa} key, checked like IAM: a recognisable encoding, an
   * RSA key of 2048 bits or more.
   */
  static byte[] sshRsaBlob(String body) {
    String[] parts = body.split("\\s+");
    byte[] blob;
    try {
      if (parts.length < 2) {
        throw new IllegalArgumentException("not OpenSSH");
      }
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new IamException(
          "UnrecognizedPublicKeyEncoding",
          400,
          true,
          "The SSH public key is not in a recognized encoding (OpenSSH ssh-rsa is supported).");
    }
    ByteBuffer in = ByteBuffer.wrap(blob);
    String type = new String(field(in), StandardCharsets.US_ASCII);
    if (!type.equals("ssh-rsa") || !parts[0].equals("ssh-rsa")) {
      throw new IamException(
          "UnrecognizedPublicKeyEncoding",
          400,
          true,
          "The SSH public key is not in a recognized encoding (OpenSSH ssh-rsa is supported).");
    }
    field(in); // exponent
    int bits = new BigInteger(1, field(in)).bitLength();
    if (bits < 2048) {
      throw new IamException(
          "InvalidPublicKey", 400, true, "The SSH public key must be at least 2048 bits.");
    }
    return blob;
  }

  private static byte[] field(ByteBuffer in) {
    try {
      int len = in.getInt();
      if (len < 0 || len > in.remaining()) {
        throw new IllegalArgumentException();
      }
      byte[] out = new byte[len];
      in.get(out);
      return out;
    } catch (RuntimeException e) {
      throw new IamException("InvalidPublicKey", 400, true, "The SSH public key is invalid.");
    }
  }

  private static String fingerprint(byte[] blob) {
    try {
      return HexFormat.ofDelimiter(":").formatHex(MessageDigest.getInstance("MD5").digest(blob));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void listSshKeys(Call c, Xml x) {
    String name = c.params().optionalName("UserName", 64);
    // Without a user name IAM lists the calling IAM user's keys; sandbox callers have none.
    List<SshKey> keys = name == null ? List.of() : Entities.user(c.account(), name).sshKeys;
    String userName = name == null ? null : Entities.user(c.account(), name).name;
    Pages.write(
        c.params(),
        keys,
        k -> k.id,
        x,
        "SSHPublicKeys",
        (w, k) ->
            w.el("UserName", userName)
                .el("SSHPublicKeyId", k.id)
                .el("Status", k.status)
                .el("UploadDate", k.uploadDate));
  }

  private static SshKey sshKey(User u, String id) {
    for (SshKey k : u.sshKeys) {
      if (k.id.equals(id)) {
        return k;
      }
    }
    throw IamException.noSuchEntity("The Public Key with id " + id + " cannot be found.");
  }

  private static void updateSshKey(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 64));
    String id = p.text("SSHPublicKeyId", 20, 128);
    Status status = p.status("Status");
    sshKey(u, id).status = status;
  }

  private static void deleteSshKey(Call c, Xml x) {
    Params p = c.params();
    User u = Entities.user(c.account(), p.name("UserName", 64));
    String id = p.text("SSHPublicKeyId", 20, 128);
    u.sshKeys.remove(sshKey(u, id));
  }

  // ---- signing certificates ----

  private static void uploadCertificate(Call c, Xml x) {
    User u = CredentialActions.subject(c);
    String body = c.params().text("CertificateBody", 1, 16384).strip();
    X509Certificate cert;
    try {
      cert =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(
                      new ByteArrayInputStream(body.getBytes(StandardCharsets.US_ASCII)));
    } catch (CertificateException | RuntimeException e) {
      throw new IamException("MalformedCertificate", 400, true, "Unable to parse certificate.");
    }
    try {
      cert.checkValidity();
    } catch (CertificateException e) {
      throw new IamException(
          "InvalidCertificate", 400, true, "The certificate is not valid: " + e.getMessage());
    }
    for (User other : c.account().users.values()) {
      for (SigningCertificate existing : other.signingCertificates) {
        if (existing.body.equals(body)) {
          throw new IamException(
              "DuplicateCertificate", 409, true, "The certificate is already uploaded.");
        }
      }
    }
    if (u.signingCertificates.size() >= CERTIFICATES_PER_USER) {
      throw IamException.quota("SigningCertificatesPerUser", CERTIFICATES_PER_USER);
    }
    SigningCertificate s = new SigningCertificate();
    s.id = Ids.base32(32);
    s.body = body;
    s.uploadDate = c.now();
    u.signingCertificates.add(s);
    x.start("Certificate");
    certificate(x, u, s);
    x.end("Certificate");
  }

  private static void certificate(Xml x, User u, SigningCertificate s) {
    x.el("UserName", u.name)
        .el("CertificateId", s.id)
        .el("CertificateBody", s.body)
        .el("Status", s.status)
        .el("UploadDate", s.uploadDate);
  }

  private static void listCertificates(Call c, Xml x) {
    User u = CredentialActions.subject(c);
    Pages.write(
        c.params(),
        u.signingCertificates,
        s -> s.id,
        x,
        "Certificates",
        (w, s) -> certificate(w, u, s));
  }

  private static SigningCertificate certificate(User u, String id) {
    for (SigningCertificate s : u.signingCertificates) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw IamException.noSuchEntity("The Certificate with id " + id + " cannot be found.");
  }

  private static void updateCertificate(Call c, Xml x) {
    User u = CredentialActions.subject(c);
    String id = c.params().text("CertificateId", 24, 128);
    Status status = c.params().status("Status");
    certificate(u, id).status = status;
  }

  private static void deleteCertificate(Call c, Xml x) {
    User u = CredentialActions.subject(c);
    String id = c.params().text("CertificateId", 24, 128);
    u.signingCertificates.remove(certificate(u, id));
  }
}
