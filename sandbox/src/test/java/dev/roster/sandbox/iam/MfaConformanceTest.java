package dev.roster.sandbox.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.DeleteConflictException;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.InvalidAuthenticationCodeException;
import software.amazon.awssdk.services.iam.model.MFADevice;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.VirtualMFADevice;

class MfaConformanceTest extends SandboxTestBase {

  @Test
  void virtualDeviceIsCreatedEnabledWithTotpCodesDeactivatedAndDeleted() {
    iam.createUser(r -> r.userName("alice"));
    VirtualMFADevice device =
        iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("alice-phone")).virtualMFADevice();
    assertThat(device.serialNumber()).isEqualTo("arn:aws:iam::111111111111:mfa/alice-phone");
    assertThat(device.qrCodePNG().asByteArray()).isNotEmpty();
    String seed = device.base32StringSeed().asString(StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("alice-phone")))
        .isInstanceOf(EntityAlreadyExistsException.class);

    assertThatThrownBy(() -> enable(device, "000000", "000000"))
        .isInstanceOfSatisfying(
            InvalidAuthenticationCodeException.class,
            e -> assertThat(e.statusCode()).isEqualTo(403));
    long step = Instant.now().getEpochSecond() / 30;
    enable(device, Totp.code(seed, step - 1), Totp.code(seed, step));

    assertThat(iam.listMFADevices(r -> r.userName("alice")).mfaDevices())
        .extracting(MFADevice::serialNumber)
        .containsExactly(device.serialNumber());
    assertThatThrownBy(() -> iam.deleteVirtualMFADevice(r -> r.serialNumber(device.serialNumber())))
        .isInstanceOf(DeleteConflictException.class);
    assertThatThrownBy(() -> iam.deleteUser(r -> r.userName("alice")))
        .isInstanceOf(DeleteConflictException.class)
        .hasMessageContaining("must delete MFA device first");

    iam.deactivateMFADevice(r -> r.userName("alice").serialNumber(device.serialNumber()));
    assertThat(iam.listMFADevices(r -> r.userName("alice")).mfaDevices()).isEmpty();
    iam.deleteVirtualMFADevice(r -> r.serialNumber(device.serialNumber()));
    assertThatThrownBy(() -> iam.deleteVirtualMFADevice(r -> r.serialNumber(device.serialNumber())))
        .isInstanceOf(NoSuchEntityException.class);
    iam.deleteUser(r -> r.userName("alice"));
  }

  @Test
  void listVirtualDevicesByAssignmentStatus() {
    iam.createUser(r -> r.userName("alice"));
    VirtualMFADevice used =
        iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("used").path("/roster/"))
            .virtualMFADevice();
    iam.createVirtualMFADevice(r -> r.virtualMFADeviceName("spare"));
    String seed = used.base32StringSeed().asString(StandardCharsets.US_ASCII);
    long step = Instant.now().getEpochSecond() / 30;
    enable(used, Totp.code(seed, step - 1), Totp.code(seed, step));

    assertThat(iam.listVirtualMFADevices(r -> r.assignmentStatus("Assigned")).virtualMFADevices())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.serialNumber()).isEqualTo("arn:aws:iam::111111111111:mfa/roster/used");
              assertThat(d.user().userName()).isEqualTo("alice");
              assertThat(d.enableDate()).isNotNull();
            });
    assertThat(iam.listVirtualMFADevices(r -> r.assignmentStatus("Unassigned")).virtualMFADevices())
        .extracting(VirtualMFADevice::serialNumber)
        .containsExactly("arn:aws:iam::111111111111:mfa/spare");
    assertThat(iam.listVirtualMFADevices().virtualMFADevices()).hasSize(2);
  }

  private void enable(VirtualMFADevice device, String code1, String code2) {
    iam.enableMFADevice(
        r ->
            r.userName("alice")
                .serialNumber(device.serialNumber())
                .authenticationCode1(code1)
                .authenticationCode2(code2));
  }
}
