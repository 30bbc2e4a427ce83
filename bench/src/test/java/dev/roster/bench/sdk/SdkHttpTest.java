package dev.roster.bench.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.roster.bench.Usage;
import dev.roster.sandbox.iam.IamSandbox;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;

/**
 * The sdk-http benchmark's parts: every client it compares leaves a seeded user through the real
 * SDK and the IAM sandbox with the calls it counts, and its result line and thread roles read back.
 */
class SdkHttpTest {
  private static IamSandbox iam;

  @BeforeAll
  static void start() {
    // The default credential chain reads these first: the access key id selects the account.
    System.setProperty("aws.accessKeyId", SdkHttpBenchmark.ACCOUNT);
    System.setProperty("aws.secretAccessKey", "test");
    iam = IamSandbox.builder().build().start();
  }

  @AfterAll
  static void stop() {
    iam.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @ParameterizedTest
  @EnumSource(HttpClientKind.class)
  void everyClientLeavesASeededUserWithTheSeventeenCallsItCounts(HttpClientKind kind)
      throws Exception {
    iam.reset();
    iam.seed(SdkHttpBenchmark.seed(1));

    ClientRun.Result r = ClientRun.run(kind, iam.endpoint(), 1, 0, 1);

    assertThat(r.client()).isEqualTo(kind.label());
    assertThat(r.calls()).isEqualTo(17);
    assertThat(iam.calls(SdkHttpBenchmark.ACCOUNT, null)).isEqualTo(17);
    assertThat(r.processCpuMillis()).isPositive();
    assertThat(r.p99Millis()).isGreaterThanOrEqualTo(r.p50Millis()).isPositive();
    try (SdkHttpClient http = HttpClientKind.URL_CONNECTION.http();
        IamClient check = HttpClientKind.iam(http, iam.endpoint())) {
      String u = ClientRun.user(0);
      assertThat(check.listGroupsForUser(b -> b.userName(u)).groups()).isEmpty();
      assertThat(check.listAccessKeys(b -> b.userName(u)).accessKeyMetadata())
          .hasSize(2)
          .allMatch(k -> k.status() == StatusType.INACTIVE);
      assertThatThrownBy(() -> check.getLoginProfile(b -> b.userName(u)))
          .isInstanceOf(NoSuchEntityException.class);
    }
  }

  @Test
  void resultLineIsFoundAmongWhateverElseTheRunPrinted() throws Exception {
    ClientRun.Result r =
        new ClientRun.Result(
            "apache5",
            8,
            17_000,
            1_000,
            10.5,
            9_000,
            Map.of(ClientRun.CALLING, 6_000.0, ClientRun.JIT, 900.0),
            Map.of("AwsEventLoop1", 120.0),
            4.2,
            20.0,
            0.8,
            0.05);
    String output = "WARNING: something the SDK logged\n" + r.line() + "\nbye\n";

    ClientRun.Result back = ClientRun.Result.parse(output);

    assertThat(back).isEqualTo(r);
    // (9,000 ms - 900 ms of JIT) / 17,000 calls; with the JIT, 9,000 ms / 17,000 calls.
    assertThat(back.cpuMicrosPerCall()).isCloseTo(476.5, offset(0.1));
    assertThat(back.processCpuMicrosPerCall()).isCloseTo(529.4, offset(0.1));
    assertThat(back.sharePercent(ClientRun.JIT)).isEqualTo(10);
    assertThat(ClientRun.Result.parse("no result here")).isNull();
  }

  @Test
  void othersShareIsTheBusyTimeNeitherTheClientNorTheSandboxUsed() {
    int cores = Runtime.getRuntime().availableProcessors();
    // 10 s on every core, 25 % idle: 7.5 core-seconds per core busy; ours used all but 1 s of it.
    double busySeconds = 0.75 * 10 * cores;
    Usage.Window w =
        new Usage.Window(
            10,
            Map.of(
                Usage.HARNESS, (busySeconds - 1) * 600, ClientRun.SANDBOX, (busySeconds - 1) * 400),
            Map.of(),
            Map.of(),
            0.25,
            0);

    assertThat(ClientRun.othersShare(w)).isCloseTo(1.0 / (10 * cores), offset(1e-9));
    // Ours alone kept the machine busy: nobody else's load.
    Usage.Window alone =
        new Usage.Window(
            10, Map.of(Usage.HARNESS, busySeconds * 1000), Map.of(), Map.of(), 0.25, 0);
    assertThat(ClientRun.othersShare(alone)).isZero();
  }

  @Test
  void threadsAreToldApartByTheirKernelNames() {
    assertThat(ClientRun.role("bench-load-sdk-")).isEqualTo(ClientRun.CALLING);
    assertThat(ClientRun.role("C2 CompilerThre")).isEqualTo(ClientRun.JIT);
    assertThat(ClientRun.role("C1 CompilerThre")).isEqualTo(ClientRun.JIT);
    assertThat(ClientRun.role("VM Thread")).isEqualTo(ClientRun.JVM);
    assertThat(ClientRun.role("AwsEventLoop1")).isEqualTo(ClientRun.CLIENT);
    assertThat(ClientRun.role("sdk-ScheduledEx")).isEqualTo(ClientRun.CLIENT);
  }

  @Test
  void todaysClientComesFirstAsEveryOthersBaseline() {
    assertThat(SdkHttpBenchmark.kinds())
        .containsExactly(
            HttpClientKind.URL_CONNECTION,
            HttpClientKind.APACHE,
            HttpClientKind.APACHE5,
            HttpClientKind.AWS_CRT);
  }
}
