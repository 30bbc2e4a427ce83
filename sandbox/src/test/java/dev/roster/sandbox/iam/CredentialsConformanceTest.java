package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;
import software.amazon.awssdk.services.iam.model.DuplicateCertificateException;
import software.amazon.awssdk.services.iam.model.DuplicateSshPublicKeyException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.InvalidPublicKeyException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.LoginProfile;
import software.amazon.awssdk.services.iam.model.MalformedCertificateException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PasswordPolicyViolationException;
import software.amazon.awssdk.services.iam.model.SSHPublicKey;
import software.amazon.awssdk.services.iam.model.ServiceNotSupportedException;
import software.amazon.awssdk.services.iam.model.ServiceSpecificCredential;
import software.amazon.awssdk.services.iam.model.SigningCertificate;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.UnrecognizedPublicKeyEncodingException;

class CredentialsConformanceTest extends SandboxTestBase {

  @BeforeEach
  void createUser() {
    iam.createUser(r -> r.userName("alice"));
  }

  @Test
  void seededCredentialsCarryTheirDatesAndReSeedingKeepsThem() {
    String seed =
        """
        {"accounts": {"111111111111": {"users": [{"name": "old.timer", "accessKeys": [
          {"id": "AKIAOLDKEY0000000001", "createDate": "2026-01-02T03:04:05Z",
           "lastUsedDate": "2026-03-01T00:00:00Z", "lastUsedService": "s3"},
          {"status": "Inactive", "createDate": "2025-06-01T00:00:00Z"}],
          "loginProfile": {"createDate": "2025-12-01T00:00:00Z"}}]}}}
        """;
    sandbox.seed(
        new java.io.ByteArrayInputStream(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    sandbox.seed(
        new java.io.ByteArrayInputStream(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    java.util.List<AccessKeyMetadata> keys =
        iam.listAccessKeys(r -> r.userName("old.timer")).accessKeyMetadata();
    assertThat(keys).hasSize(2);
    AccessKeyMetadata seeded =
        keys.stream()
            .filter(k -> k.accessKeyId().equals("AKIAOLDKEY0000000001"))
            .findFirst()
            .orElseThrow();
    AccessKeyMetadata generated =
        keys.stream()
            .filter(k -> !k.accessKeyId().equals("AKIAOLDKEY0000000001"))
            .findFirst()
            .orElseThrow();
    assertThat(seeded.createDate()).isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05Z"));
    assertThat(generated.status()).isEqualTo(StatusType.INACTIVE);
    assertThat(generated.accessKeyId()).startsWith("AKIA").hasSize(20);
    var used =
        iam.getAccessKeyLastUsed(r -> r.accessKeyId("AKIAOLDKEY0000000001")).accessKeyLastUsed();
    assertThat(used.lastUsedDate()).isEqualTo(java.time.Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(used.serviceName()).isEqualTo("s3");
    var never =
        iam.getAccessKeyLastUsed(r -> r.accessKeyId(generated.accessKeyId())).accessKeyLastUsed();
    assertThat(never.lastUsedDate()).isNull();
    assertThat(never.serviceName()).isEqualTo("N/A");
    assertThat(iam.getLoginProfile(r -> r.userName("old.timer")).loginProfile().createDate())
        .isEqualTo(java.time.Instant.parse("2025-12-01T00:00:00Z"));
  }

  @Test
  void loginProfileLifecycle() {
    LoginProfile created =
        iam.createLoginProfile(
                r -> r.userName("alice").password("Corr3ct-Horse").passwordResetRequired(true))
            .loginProfile();
    assertThat(created.userName()).isEqualTo("alice");
    assertThat(created.passwordResetRequired()).isTrue();
    assertThat(created.createDate()).isNotNull();

    assertThatThrownBy(
            () -> iam.createLoginProfile(r -> r.userName("alice").password("Corr3ct-Horse")))
        .isInstanceOf(EntityAlreadyExistsException.class);

    iam.updateLoginProfile(r -> r.userName("alice").passwordResetRequired(false));
    iam.updateLoginProfile(r -> r.userName("alice").password("An0ther-Horse"));
    assertThatThrownBy(() -> iam.updateLoginProfile(r -> r.userName("alice").password("weak")))
        .isInstanceOf(PasswordPolicyViolationException.class);
    assertThat(iam.getLoginProfile(r -> r.userName("alice")).loginProfile().passwordResetRequired())
        .isFalse();

    iam.deleteLoginProfile(r -> r.userName("alice"));
    assertThatThrownBy(() -> iam.getLoginProfile(r -> r.userName("alice")))
        .isInstanceOf(NoSuchEntityException.class)
        .hasMessageContaining("Login Profile for User alice cannot be found.");
  }

  @Test
  void weakPasswordsViolateTheDefaultPolicy() {
    assertThatThrownBy(() -> iam.createLoginProfile(r -> r.userName("alice").password("short")))
        .isInstanceOfSatisfying(
            PasswordPolicyViolationException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    assertThatThrownBy(
            () -> iam.createLoginProfile(r -> r.userName("alice").password("alllowercase")))
        .isInstanceOf(PasswordPolicyViolationException.class);
  }

  @Test
  void accessKeyLifecycleAndQuota() {
    AccessKey key = iam.createAccessKey(r -> r.userName("alice")).accessKey();
    assertThat(key.accessKeyId()).startsWith("AKIA").hasSize(20);
    assertThat(key.secretAccessKey()).hasSize(40);
    assertThat(key.status()).isEqualTo(StatusType.ACTIVE);
    iam.createAccessKey(r -> r.userName("alice"));

    assertThatThrownBy(() -> iam.createAccessKey(r -> r.userName("alice")))
        .isInstanceOfSatisfying(
            LimitExceededException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Cannot exceed quota for AccessKeysPerUser: 2");
            });

    iam.updateAccessKey(
        r -> r.userName("alice").accessKeyId(key.accessKeyId()).status(StatusType.INACTIVE));
    assertThat(iam.listAccessKeys(r -> r.userName("alice")).accessKeyMetadata())
        .filteredOn(k -> k.accessKeyId().equals(key.accessKeyId()))
        .extracting(AccessKeyMetadata::status)
        .containsExactly(StatusType.INACTIVE);
    assertThat(iam.getAccessKeyLastUsed(r -> r.accessKeyId(key.accessKeyId())))
        .satisfies(
            r -> {
              assertThat(r.userName()).isEqualTo("alice");
              assertThat(r.accessKeyLastUsed().serviceName()).isEqualTo("N/A");
            });

    iam.deleteAccessKey(r -> r.userName("alice").accessKeyId(key.accessKeyId()));
    assertThat(iam.listAccessKeys(r -> r.userName("alice")).accessKeyMetadata()).hasSize(1);
    assertThatThrownBy(
            () -> iam.deleteAccessKey(r -> r.userName("alice").accessKeyId(key.accessKeyId())))
        .isInstanceOf(NoSuchEntityException.class);
  }

  @Test
  void statusMustBeActiveOrInactive() {
    String id = iam.createAccessKey(r -> r.userName("alice")).accessKey().accessKeyId();

    assertThatThrownBy(
            () -> iam.updateAccessKey(r -> r.userName("alice").accessKeyId(id).status("Paused")))
        .isInstanceOfSatisfying(
            IamException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
  }

  @Test
  void sshKeysLifecycleValidationAndQuota() {
    String body = TestKeys.sshRsa(2048);
    SSHPublicKey key =
        iam.uploadSSHPublicKey(r -> r.userName("alice").sshPublicKeyBody(body)).sshPublicKey();
    assertThat(key.sshPublicKeyId()).startsWith("APKA").hasSize(20);
    assertThat(key.fingerprint()).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
    assertThat(key.status()).isEqualTo(StatusType.ACTIVE);

    assertThatThrownBy(
            () -> iam.uploadSSHPublicKey(r -> r.userName("alice").sshPublicKeyBody(body)))
        .isInstanceOf(DuplicateSshPublicKeyException.class);
    assertThatThrownBy(
            () -> iam.uploadSSHPublicKey(r -> r.userName("alice").sshPublicKeyBody("not a key")))
        .isInstanceOf(UnrecognizedPublicKeyEncodingException.class);
    assertThatThrownBy(
            () ->
                iam.uploadSSHPublicKey(
                    r -> r.userName("alice").sshPublicKeyBody(TestKeys.sshRsa(1024))))
        .isInstanceOf(InvalidPublicKeyException.class);

    for (int i = 0; i < 4; i++) {
      iam.uploadSSHPublicKey(r -> r.userName("alice").sshPublicKeyBody(TestKeys.sshRsa(2048)));
    }
    assertThatThrownBy(
            () ->
                iam.uploadSSHPublicKey(
                    r -> r.userName("alice").sshPublicKeyBody(TestKeys.sshRsa(2048))))
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("SSHPublicKeysPerUser: 5");

    iam.updateSSHPublicKey(
        r -> r.userName("alice").sshPublicKeyId(key.sshPublicKeyId()).status(StatusType.INACTIVE));
    assertThat(iam.listSSHPublicKeys(r -> r.userName("alice")).sshPublicKeys())
        .hasSize(5)
        .anySatisfy(
            k -> {
              assertThat(k.sshPublicKeyId()).isEqualTo(key.sshPublicKeyId());
              assertThat(k.status()).isEqualTo(StatusType.INACTIVE);
            });
    iam.deleteSSHPublicKey(r -> r.userName("alice").sshPublicKeyId(key.sshPublicKeyId()));
    assertThat(iam.listSSHPublicKeys(r -> r.userName("alice")).sshPublicKeys()).hasSize(4);
  }

  @Test
  void serviceSpecificCredentialsLifecycleAndQuota() {
    ServiceSpecificCredential cred =
        iam.createServiceSpecificCredential(
                r -> r.userName("alice").serviceName("codecommit.amazonaws.com"))
            .serviceSpecificCredential();
    assertThat(cred.serviceUserName()).isEqualTo("alice-at-111111111111");
    assertThat(cred.servicePassword()).isNotBlank();
    assertThat(cred.serviceSpecificCredentialId()).startsWith("ACCA");
    iam.createServiceSpecificCredential(
        r -> r.userName("alice").serviceName("codecommit.amazonaws.com"));

    assertThatThrownBy(
            () ->
                iam.createServiceSpecificCredential(
                    r -> r.userName("alice").serviceName("codecommit.amazonaws.com")))
        .isInstanceOf(LimitExceededException.class);
    assertThatThrownBy(
            () ->
                iam.createServiceSpecificCredential(
                    r -> r.userName("alice").serviceName("s3.amazonaws.com")))
        .isInstanceOf(ServiceNotSupportedException.class);
    iam.createServiceSpecificCredential(
        r -> r.userName("alice").serviceName("cassandra.amazonaws.com"));

    assertThat(
            iam.listServiceSpecificCredentials(
                    r -> r.userName("alice").serviceName("codecommit.amazonaws.com"))
                .serviceSpecificCredentials())
        .hasSize(2);
    iam.updateServiceSpecificCredential(
        r ->
            r.userName("alice")
                .serviceSpecificCredentialId(cred.serviceSpecificCredentialId())
                .status(StatusType.INACTIVE));
    iam.deleteServiceSpecificCredential(
        r -> r.userName("alice").serviceSpecificCredentialId(cred.serviceSpecificCredentialId()));
    assertThat(
            iam.listServiceSpecificCredentials(r -> r.userName("alice"))
                .serviceSpecificCredentials())
        .hasSize(2)
        .noneMatch(s -> s.serviceSpecificCredentialId().equals(cred.serviceSpecificCredentialId()));
  }

  @Test
  void signingCertificatesLifecycleValidationAndQuota() {
    SigningCertificate cert =
        iam.uploadSigningCertificate(
                r -> r.userName("alice").certificateBody(TestKeys.certificate(1)))
            .certificate();
    assertThat(cert.certificateId()).hasSize(32);
    assertThat(cert.status()).isEqualTo(StatusType.ACTIVE);

    assertThatThrownBy(
            () ->
                iam.uploadSigningCertificate(
                    r -> r.userName("alice").certificateBody(TestKeys.certificate(1))))
        .isInstanceOf(DuplicateCertificateException.class);
    assertThatThrownBy(
            () -> iam.uploadSigningCertificate(r -> r.userName("alice").certificateBody("junk")))
        .isInstanceOf(MalformedCertificateException.class);
    iam.uploadSigningCertificate(r -> r.userName("alice").certificateBody(TestKeys.certificate(2)));
    assertThatThrownBy(
            () ->
                iam.uploadSigningCertificate(
                    r -> r.userName("alice").certificateBody(TestKeys.certificate(3))))
        .isInstanceOf(LimitExceededException.class);

    iam.updateSigningCertificate(
        r -> r.userName("alice").certificateId(cert.certificateId()).status(StatusType.INACTIVE));
    assertThat(iam.listSigningCertificates(r -> r.userName("alice")).certificates())
        .hasSize(2)
        .anySatisfy(c -> assertThat(c.status()).isEqualTo(StatusType.INACTIVE));
    iam.deleteSigningCertificate(r -> r.userName("alice").certificateId(cert.certificateId()));
    assertThat(iam.listSigningCertificates(r -> r.userName("alice")).certificates()).hasSize(1);
  }
}
