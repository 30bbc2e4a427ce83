package dev.roster.provisioner.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallGateTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stop() {
    threads.shutdownNow();
  }

  private CompletableFuture<String> call(CallGate gate, CallGate.Priority p, CountDownLatch hold) {
    return CompletableFuture.supplyAsync(
        () ->
            gate.call(
                "dev",
                p,
                () -> {
                  try {
                    hold.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return p.name();
                }),
        threads);
  }

  @Test
  void aCutOffUnderWayHoldsNoOtherOperationBackWhilePermitsAreSpare() {
    CallGate gate = new CallGate(4);
    try (CallGate.Hold cutOff = gate.cutOff("dev")) {
      // Spare permits: a cleanup's call runs beside the cut-off, it does not wait for it.
      CompletableFuture<String> other = call(gate, CallGate.Priority.OTHER, new CountDownLatch(0));
      await().atMost(Duration.ofSeconds(10)).until(other::isDone);
      assertThat(other.join()).isEqualTo("OTHER");
      assertThat(gate.cutOffs("dev")).isEqualTo(1);
    }
  }

  @Test
  void aCutOffUnderWayKeepsAPermitForItsNextCall() {
    CallGate gate = new CallGate(2);
    CountDownLatch release = new CountDownLatch(1);
    CallGate.Hold cutOff = gate.cutOff("dev");
    // One permit taken by a cleanup call; the other is the cut-off's.
    CompletableFuture<String> first = call(gate, CallGate.Priority.OTHER, release);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gate.waiting("dev", CallGate.Priority.OTHER) == 0 && !first.isDone());
    CompletableFuture<String> second = call(gate, CallGate.Priority.OTHER, new CountDownLatch(0));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gate.waiting("dev", CallGate.Priority.OTHER) == 1);
    // The cut-off's deny-all still finds its permit at once.
    CompletableFuture<String> denyAll =
        call(gate, CallGate.Priority.CUT_OFF, new CountDownLatch(0));
    await().atMost(Duration.ofSeconds(10)).until(denyAll::isDone);
    assertThat(second).isNotDone();
    cutOff.close();
    await().atMost(Duration.ofSeconds(10)).until(second::isDone);
    release.countDown();
    await().atMost(Duration.ofSeconds(10)).until(first::isDone);
  }
}
