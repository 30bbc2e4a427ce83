package dev.roster.sandbox.iam.action;

import dev.roster.sandbox.iam.Totp;
import dev.roster.sandbox.iam.model.Account;
import dev.roster.sandbox.iam.model.MfaDevice;
import dev.roster.sandbox.iam.model.User;
import dev.roster.sandbox.iam.protocol.IamException;
import dev.roster.sandbox.iam.protocol.Pages;
import dev.roster.sandbox.iam.protocol.Params;
import dev.roster.sandbox.iam.protocol.Xml;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Virtual MFA devices: created on their own, then enabled for (assigned to) one user. */
final class MfaActions {
  static final int MFA_DEVICES_PER_USER = 8;
  private static final Pattern CODE = Pattern.compile("\\d{6}");

  /** A 1x1 PNG: IAM returns a QR code image here; nobody should scan the sandbox's. */
  private static final String PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

  private MfaActions() {}

  static void register(Map<String, Handler> r) {
    r.put("CreateVirtualMFADevice", MfaActions::createVirtual);
    r.put("EnableMFADevice", MfaActions::enable);
    r.put("ListMFADevices", MfaActions::list);
    r.put("ListVirtualMFADevices", MfaActions::listVirtual);
    r.put("DeactivateMFADevice", MfaActions::deactivate);
    r.put("DeleteVirtualMFADevice", MfaActions::deleteVirtual);
  }

  private static void createVirtual(Call c, Xml x) {
    Params p = c.params();
    String name = p.name("VirtualMFADeviceName", 226);
    String path = p.path("Path");
    Map<String, String> tags = p.tags("Tags");
    Account a = c.account();
    String serial = a.arn("mfa", path, name);
    if (a.mfaDevices.containsKey(Account.key(serial))) {
      throw IamException.alreadyExists(
          "MFADevice entity at the same path and name already exists.");
    }
    MfaDevice d = new MfaDevice();
    d.serialNumber = serial;
    d.name = name;
    d.path = path;
    d.seed = Ids.base32(64);
    d.createDate = c.now();
    d.tags.putAll(tags);
    a.mfaDevices.put(Account.key(serial), d);
    x.start("VirtualMFADevice")
        .el("SerialNumber", d.serialNumber)
        .el(
            "Base32StringSeed",
            Base64.getEncoder().encodeToString(d.seed.getBytes(StandardCharsets.US_ASCII)))
        .el("QRCodePNG", PNG);
    if (!d.tags.isEmpty()) {
      Entities.tags(x, d.tags);
    }
    x.end("VirtualMFADevice");
  }

  private static MfaDevice device(Account a, String serial) {
    MfaDevice d = a.mfaDevices.get(Account.key(serial));
    if (d == null) {
      throw IamException.noSuchEntity(
          "MFA device with serial number " + serial + " does not exist.");
    }
    return d;
  }

  private static String serial(Params p) {
    String serial = p.text("SerialNumber", 9, 256);
    if (!Pattern.compile("[\\w+=/:,.@-]+").matcher(serial).matches()) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + serial
              + "' at 'serialNumber' failed to satisfy constraint: Member must satisfy regular"
              + " expression pattern: [\\w+=/:,.@-]+");
    }
    return serial;
  }

  private static void enable(Call c, Xml x) {
    Params p = c.params();
    Account a = c.account();
    User u = Entities.user(a, p.name("UserName", 128));
    String serial = serial(p);
    String code1 = code(p, "AuthenticationCode1");
    String code2 = code(p, "AuthenticationCode2");
    MfaDevice d = device(a, serial);
    if (d.user != null) {
      throw IamException.alreadyExists("MFA Device is already in use.");
    }
    String key = Account.key(u.name);
    if (a.mfaDevices.values().stream().filter(m -> key.equals(m.user)).count()
        >= MFA_DEVICES_PER_USER) {
      throw IamException.quota("MFADevicesPerUser", MFA_DEVICES_PER_USER);
    }
    if (!consecutive(d.seed, code1, code2, c.now().getEpochSecond() / 30)) {
      throw new IamException(
          "InvalidAuthenticationCode", 403, true, "Authentication code for device is not valid.");
    }
    d.user = key;
    d.enableDate = c.now();
  }

  /** Two consecutive codes ending near now (a little clock drift allowed, as IAM does). */
  private static boolean consecutive(String seed, String code1, String code2, long now) {
    for (long step = now - 3; step <= now + 1; step++) {
      if (Totp.code(seed, step).equals(code1) && Totp.code(seed, step + 1).equals(code2)) {
        return true;
      }
    }
    return false;
  }

  private static String code(Params p, String param) {
    String code = p.required(param);
    if (!CODE.matcher(code).matches()) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + code
              + "' at '"
              + Character.toLowerCase(param.charAt(0))
              + param.substring(1)
              + "' failed to satisfy constraint: Member must satisfy regular expression pattern:"
              + " [\\d]+ and have length 6");
    }
    return code;
  }

  private static void list(Call c, Xml x) {
    String name = c.params().optionalName("UserName", 128);
    Account a = c.account();
    List<MfaDevice> devices = new ArrayList<>();
    String userName = null;
    if (name != null) {
      User u = Entities.user(a, name);
      userName = u.name;
      String key = Account.key(u.name);
      for (MfaDevice d : a.mfaDevices.values()) {
        if (key.equals(d.user)) {
          devices.add(d);
        }
      }
    }
    String shownName = userName;
    Pages.write(
        c.params(),
        devices,
        d -> Account.key(d.serialNumber),
        x,
        "MFADevices",
        (w, d) ->
            w.el("UserName", shownName)
                .el("SerialNumber", d.serialNumber)
                .el("EnableDate", d.enableDate));
  }

  private static void listVirtual(Call c, Xml x) {
    String status = c.params().optional("AssignmentStatus");
    if (status != null && !List.of("Assigned", "Unassigned", "Any").contains(status)) {
      throw IamException.validation(
          "1 validation error detected: Value '"
              + status
              + "' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum"
              + " value set: [Assigned, Unassigned, Any]");
    }
    Account a = c.account();
    List<MfaDevice> devices = new ArrayList<>();
    for (MfaDevice d : a.mfaDevices.values()) {
      boolean assigned = d.user != null;
      if (status == null || status.equals("Any") || (status.equals("Assigned") == assigned)) {
        devices.add(d);
      }
    }
    Pages.write(
        c.params(),
        devices,
        d -> Account.key(d.serialNumber),
        x,
        "VirtualMFADevices",
        (w, d) -> {
          w.el("SerialNumber", d.serialNumber);
          User u = d.user == null ? null : a.users.get(d.user);
          if (u != null) {
            w.start("User");
            Entities.user(w, a, u, false);
            w.end("User");
          }
          w.el("EnableDate", d.enableDate);
        });
  }

  private static void deactivate(Call c, Xml x) {
    Params p = c.params();
    Account a = c.account();
    User u = Entities.user(a, p.name("UserName", 128));
    MfaDevice d = device(a, serial(p));
    if (!Account.key(u.name).equals(d.user)) {
      throw IamException.noSuchEntity(
          "MFA Device with serial number "
              + d.serialNumber
              + " is not assigned to user "
              + u.name
              + ".");
    }
    d.user = null;
    d.enableDate = null;
  }

  private static void deleteVirtual(Call c, Xml x) {
    Account a = c.account();
    MfaDevice d = device(a, serial(c.params()));
    if (d.user != null) {
      throw IamException.deleteConflict("MFA Device is still in use.");
    }
    a.mfaDevices.remove(Account.key(d.serialNumber));
  }
}
