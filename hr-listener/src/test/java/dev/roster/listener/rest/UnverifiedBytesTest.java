package dev.roster.listener.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.roster.listener.rest.UnverifiedBytes.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnverifiedBytesTest {

  @Test
  void reservesUpToTheCapThenRefusesUntilReleased() {
    UnverifiedBytes bytes = new UnverifiedBytes(100);

    assertThat(bytes.tryReserve(60)).isEqualTo(Outcome.RESERVED);
    assertThat(bytes.tryReserve(40)).isEqualTo(Outcome.RESERVED);
    assertThat(bytes.held()).isEqualTo(100);
    assertThat(bytes.tryReserve(1)).isEqualTo(Outcome.CAP_REACHED);
    assertThat(bytes.held()).isEqualTo(100);

    bytes.release(60);
    assertThat(bytes.tryReserve(50)).isEqualTo(Outcome.RESERVED);
    assertThat(bytes.held()).isEqualTo(90);
  }

  @Test
  void aBodyLargerThanTheCapAloneIsTold() {
    UnverifiedBytes bytes = new UnverifiedBytes(100);

    assertThat(bytes.tryReserve(101)).isEqualTo(Outcome.LARGER_THAN_CAP);
    assertThat(bytes.held()).isZero();
    assertThat(bytes.tryReserve(100)).isEqualTo(Outcome.RESERVED);
  }

  @Test
  void aCapMustBePositive() {
    assertThatThrownBy(() -> new UnverifiedBytes(0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrentRequestsNeverHoldMoreThanTheCap() throws Exception {
    long cap = 10_000;
    UnverifiedBytes bytes = new UnverifiedBytes(cap);
    AtomicLong highest = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    int threads = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long size = 1_000 + 500L * t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 20_000; i++) {
                    if (bytes.tryReserve(size) == Outcome.RESERVED) {
                      highest.accumulateAndGet(bytes.held(), Math::max);
                      bytes.release(size);
                    } else {
                      refused.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(highest.get()).isPositive().isLessThanOrEqualTo(cap);
    assertThat(bytes.held()).isZero();
  }
}
