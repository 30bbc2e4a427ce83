package dev.roster.provisioner.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Key order, the in-flight limit, leaves first at the limit, and admission held when full. */
class DispatcherTest {
  final ExecutorService pool = Executors.newFixedThreadPool(16);
  final List<String> started = Collections.synchronizedList(new ArrayList<>());

  @AfterEach
  void close() {
    pool.shutdownNow();
  }

  Runnable gated(String name, CountDownLatch gate) {
    return () -> {
      started.add(name);
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  Runnable records(String name) {
    return () -> started.add(name);
  }

  @Test
  void aJobThatReleasesItsSlotLetsTheNextRunWhileItsOwnKeyWaitsForIt() {
    Dispatcher dispatcher = new Dispatcher(1, 10, 1, pool);
    CountDownLatch cleanup = new CountDownLatch(1);
    CountDownLatch second = new CountDownLatch(1);
    dispatcher.submit(
        "a",
        true,
        () -> {
          started.add("a-leave");
          dispatcher.releaseSlot(); // its cut-off done: the rest is cleanup
          gated("a-cleanup", cleanup).run();
        });
    dispatcher.submit("a", false, records("a-hire"));
    dispatcher.submit(
        "b",
        true,
        () -> {
          started.add("b-leave");
          dispatcher.releaseSlot(); // the cleanup stage is full: b keeps its slot
          gated("b-cleanup", second).run();
        });
    dispatcher.submit("c", true, records("c-leave"));

    await().atMost(Duration.ofSeconds(5)).until(() -> started.contains("b-cleanup"));
    assertThat(dispatcher.cleaning()).isEqualTo(1);
    assertThat(dispatcher.running()).isEqualTo(1);
    assertThat(started)
        .as("one slot: b ran beside a's cleanup; a's next event waits for it, c for b's slot")
        .containsExactlyInAnyOrder("a-leave", "a-cleanup", "b-leave", "b-cleanup");
    second.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> started.contains("c-leave"));
    assertThat(started).doesNotContain("a-hire");
    cleanup.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> started.contains("a-hire"));
    await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.cleaning() == 0);
  }

  @Test
  void differentKeysRunAtOnceAndALaterJobOfAKeyWaitsForTheEarlierOne() {
    Dispatcher dispatcher = new Dispatcher(4, 4, pool);
    CountDownLatch a1 = new CountDownLatch(1);
    CountDownLatch others = new CountDownLatch(1);
    dispatcher.submit("a", false, gated("a1", a1));
    dispatcher.submit("a", false, records("a2"));
    dispatcher.submit("b", false, gated("b1", others));
    dispatcher.submit("c", false, gated("c1", others));

    await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.running() == 3);
    assertThat(started).containsExactlyInAnyOrder("a1", "b1", "c1");
    assertThat(dispatcher.waiting()).as("a2 behind a1, though a slot is free").isEqualTo(1);

    a1.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> started.contains("a2"));
    assertThat(started.indexOf("a2")).isGreaterThan(started.indexOf("a1"));
    others.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.running() == 0);
  }

  @Test
  void everyKeysJobsRunInSubmissionOrderOneAtATime() {
    Dispatcher dispatcher = new Dispatcher(8, 32, pool);
    Map<String, List<Integer>> seen = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> concurrent = new ConcurrentHashMap<>();
    AtomicInteger overlapWithinKey = new AtomicInteger();
    Random random = new Random(7);
    int jobs = 2000;
    for (int i = 0; i < jobs; i++) {
      String key = "k" + random.nextInt(20);
      int n = i;
      dispatcher
          .submit(
              key,
              random.nextInt(4) == 0,
              () -> {
                if (concurrent.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet()
                    > 1) {
                  overlapWithinKey.incrementAndGet();
                }
                seen.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(n);
                concurrent.get(key).decrementAndGet();
              })
          .toCompletableFuture()
          .join(); // as the intake does: the next only once this one is admitted
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.running() == 0);
    assertThat(seen.values().stream().mapToInt(List::size).sum()).isEqualTo(jobs);
    assertThat(overlapWithinKey).hasValue(0);
    seen.forEach((key, order) -> assertThat(order).as(key).isSorted());
  }

  @Test
  void atTheLimitLeavesGoFirstButNeverBeforeAnEarlierEventOfTheirEmployee() {
    Dispatcher dispatcher = new Dispatcher(1, 10, pool);
    CountDownLatch blocker = new CountDownLatch(1);
    dispatcher.submit("x", false, gated("x-hire", blocker));
    dispatcher.submit("a", false, records("a-hire"));
    dispatcher.submit("b", false, records("b-role-change"));
    dispatcher.submit("c", true, records("c-leave"));
    dispatcher.submit("a", true, records("a-leave"));
    await().atMost(Duration.ofSeconds(5)).until(() -> dispatcher.waiting() == 4);

    blocker.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 5);
    assertThat(started).containsExactly("x-hire", "c-leave", "a-hire", "a-leave", "b-role-change");
  }

  @Test
  void aFullWindowHoldsTheIntakeBackUntilAJobFinishes() {
    Dispatcher dispatcher = new Dispatcher(1, 1, pool);
    CountDownLatch gate = new CountDownLatch(1);
    CompletionStage<Void> first = dispatcher.submit("a", false, gated("a", gate));
    CompletionStage<Void> second = dispatcher.submit("b", false, records("b"));
    CompletionStage<Void> third = dispatcher.submit("c", true, records("c"));

    assertThat(first.toCompletableFuture()).isDone();
    assertThat(second.toCompletableFuture()).as("waits in the lookahead").isDone();
    assertThat(third.toCompletableFuture()).as("no room: not admitted").isNotDone();

    gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> third.toCompletableFuture().isDone());
    await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 3);
    assertThat(dispatcher.peak()).isEqualTo(1);
  }

  @Test
  void aKeyIsIdleOnlyWhenNoneOfItsJobsRunsWaitsOrIsHeldAtTheIntake() {
    Dispatcher dispatcher = new Dispatcher(1, 1, pool);
    CountDownLatch gate = new CountDownLatch(1);
    assertThat(dispatcher.idle("a")).isTrue();
    dispatcher.submit("a", false, gated("a", gate));
    dispatcher.submit("b", false, records("b"));
    dispatcher.submit("c", false, records("c"));

    assertThat(dispatcher.idle("a")).as("running").isFalse();
    assertThat(dispatcher.idle("b")).as("waiting").isFalse();
    assertThat(dispatcher.idle("c")).as("held at the intake").isFalse();
    assertThat(dispatcher.idle("d")).isTrue();

    gate.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 3);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> dispatcher.idle("a") && dispatcher.idle("b") && dispatcher.idle("c"));
  }
}
