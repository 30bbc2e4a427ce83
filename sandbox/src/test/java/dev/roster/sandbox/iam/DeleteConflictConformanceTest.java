package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * IAM refuses DeleteUser while anything still hangs off the user; popular emulators delete anyway,
 * which hides leaver bugs. Each case adds one thing, checks the conflict, removes it and checks
 * that the delete then succeeds.
 */
class DeleteConflictConformanceTest extends SandboxTestBase {
  record Blocker(String message, Consumer<IamClient> add, Consumer<IamClient> remove) {}

  static Stream<Arguments> blockers() {
    String doc =
        "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}";
    String readOnly = "arn:aws:iam::aws:policy/ReadOnlyAccess";
    return Stream.of(
        Arguments.of(
            "login profile",
            new Blocker(
                "must delete login profile first",
                c -> c.createLoginProfile(r -> r.userName("alice").password("Corr3ct-Horse")),
                c -> c.deleteLoginProfile(r -> r.userName("alice")))),
        Arguments.of(
            "access key",
            new Blocker(
                "must delete access keys first",
                c -> c.createAccessKey(r -> r.userName("alice")),
                c ->
                    c.listAccessKeys(r -> r.userName("alice"))
                        .accessKeyMetadata()
                        .forEach(
                            k ->
                                c.deleteAccessKey(
                                    r -> r.userName("alice").accessKeyId(k.accessKeyId()))))),
        Arguments.of(
            "ssh key",
            new Blocker(
                "must delete SSH public keys first",
                c ->
                    c.uploadSSHPublicKey(
                        r -> r.userName("alice").sshPublicKeyBody(TestKeys.sshRsa(2048))),
                c ->
                    c.listSSHPublicKeys(r -> r.userName("alice"))
                        .sshPublicKeys()
                        .forEach(
                            k ->
                                c.deleteSSHPublicKey(
                                    r -> r.userName("alice").sshPublicKeyId(k.sshPublicKeyId()))))),
        Arguments.of(
            "service credential",
            new Blocker(
                "must delete service specific credentials first",
                c ->
                    c.createServiceSpecificCredential(
                        r -> r.userName("alice").serviceName("codecommit.amazonaws.com")),
                c ->
                    c.listServiceSpecificCredentials(r -> r.userName("alice"))
                        .serviceSpecificCredentials()
                        .forEach(
                            s ->
                                c.deleteServiceSpecificCredential(
                                    r ->
                                        r.userName("alice")
                                            .serviceSpecificCredentialId(
                                                s.serviceSpecificCredentialId()))))),
        Arguments.of(
            "signing certificate",
            new Blocker(
                "must delete signing certificates first",
                c ->
                    c.uploadSigningCertificate(
                        r -> r.userName("alice").certificateBody(TestKeys.certificate(1))),
                c ->
                    c.listSigningCertificates(r -> r.userName("alice"))
                        .certificates()
                        .forEach(
                            s ->
                                c.deleteSigningCertificate(
                                    r -> r.userName("alice").certificateId(s.certificateId()))))),
        Arguments.of(
            "mfa device",
            new Blocker(
                "must delete MFA device first",
                c -> {
                  var d =
                      c.createVirtualMFADevice(r -> r.virtualMFADeviceName("m")).virtualMFADevice();
                  String seed = d.base32StringSeed().asString(StandardCharsets.US_ASCII);
                  long step = Instant.now().getEpochSecond() / 30;
                  c.enableMFADevice(
                      r ->
                          r.userName("alice")
                              .serialNumber(d.serialNumber())
                              .authenticationCode1(Totp.code(seed, step - 1))
                              .authenticationCode2(Totp.code(seed, step)));
                },
                c ->
                    c.deactivateMFADevice(
                        r -> r.userName("alice").serialNumber("arn:aws:iam::111111111111:mfa/m")))),
        Arguments.of(
            "inline policy",
            new Blocker(
                "must delete policies first",
                c -> c.putUserPolicy(r -> r.userName("alice").policyName("p").policyDocument(doc)),
                c -> c.deleteUserPolicy(r -> r.userName("alice").policyName("p")))),
        Arguments.of(
            "attached policy",
            new Blocker(
                "must detach all policies first",
                c -> c.attachUserPolicy(r -> r.userName("alice").policyArn(readOnly)),
                c -> c.detachUserPolicy(r -> r.userName("alice").policyArn(readOnly)))),
        Arguments.of(
            "group membership",
            new Blocker(
                "must remove user from all groups first",
                c -> {
                  c.createGroup(r -> r.groupName("g"));
                  c.addUserToGroup(r -> r.groupName("g").userName("alice"));
                },
                c -> c.removeUserFromGroup(r -> r.groupName("g").userName("alice")))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blockers")
  void deleteUserConflictsUntilRemoved(String what, Blocker blocker) {
    iam.createUser(r -> r.userName("alice"));
    blocker.add().accept(iam);

    assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("alice")))
        .isInstanceOfSatisfying(
            DeleteConflictException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(409);
              assertThat(e.awsErrorDetails().errorMessage())
                  .isEqualTo("Cannot delete entity, " + blocker.message() + ".");
            });
    assertThat(iam.getUser(r -> r.userName("alice")).user().userName()).isEqualTo("alice");

    blocker.remove().accept(iam);
    iam.deleteUser(r -> r.userName("alice"));
    assertThatThrownBy(() -> iam.getUser(r -> r.userName("alice")))
        .isInstanceOf(NoSuchEntityException.class);
  }
}
