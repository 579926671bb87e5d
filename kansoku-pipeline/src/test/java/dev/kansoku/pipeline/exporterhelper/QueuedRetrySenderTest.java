package dev.kansoku.pipeline.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.QueueSettings;
import dev.kansoku.pipeline.config.RetrySettings;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QueuedRetrySenderTest {
  /** Fake time: every wait returns at once and moves the clock; the waits are recorded. */
  static final class FakeClock implements RetryClock {
    long now = 1_000_000_000L;
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public synchronized long nanoTime() {
      return now;
    }

    @Override
    public synchronized boolean sleep(long nanos, CountDownLatch wakeUp) {
      sleeps.add(Duration.ofNanos(nanos));
      now += nanos;
      return wakeUp.getCount() == 0;
    }
  }

  final FakeClock clock = new FakeClock();
  final RetrySettings retry = retry(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1), Duration.ofSeconds(10));
  final QueueSettings noQueue = queue(false, 1, 1);

  static RetrySettings retry(Duration initial, double multiplier, Duration max, Duration maxElapsed) {
    RetrySettings r = new RetrySettings();
    r.initialInterval = initial;
    r.multiplier = multiplier;
    r.maxInterval = max;
    r.maxElapsedTime = maxElapsed;
    r.randomizationFactor = 0.5;
    return r;
  }

  static QueueSettings queue(boolean enabled, int consumers, int size) {
    QueueSettings q = new QueueSettings();
    q.enabled = enabled;
    q.numConsumers = consumers;
    q.queueSize = size;
    return q;
  }

  static ExportTraceServiceRequest spans(int n) {
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < n; i++) {
      ss.addSpans(Span.newBuilder().setName("span-" + i));
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ss)).build();
  }

  /** Random 0.5 makes the jitter factor exactly 1, so waits are the bare schedule. */
  QueuedRetrySender<ExportTraceServiceRequest> sender(QueueSettings q, BatchSender<ExportTraceServiceRequest> send,
      Duration shutdownTimeout) {
    return new QueuedRetrySender<>("otlp/test", Signal.TRACES, retry, q, send, clock, () -> 0.5, shutdownTimeout);
  }

  /** Fails with {@code failure} for the first {@code failures} attempts, then accepts. */
  static BatchSender<ExportTraceServiceRequest> failing(int failures, ConsumeException failure, AtomicInteger attempts) {
    return batch -> {
      if (attempts.incrementAndGet() <= failures) {
        throw failure;
      }
    };
  }

  @Test
  void retry_thenSuccess() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    var s = sender(noQueue, failing(3, ConsumeException.unavailable("down", null, null), attempts), Duration.ZERO);

    s.consume(spans(4));

    assertThat(attempts).hasValue(4);
    assertThat(clock.sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(225));
    assertThat(s.sentItems()).isEqualTo(4);
    assertThat(s.failedItems()).isZero();
  }

  @Test
  void permanentFailure_notRetried() {
    AtomicInteger attempts = new AtomicInteger();
    ConsumeException bad = ConsumeException.permanent("HTTP 400: bad span", null);
    var s = sender(noQueue, failing(100, bad, attempts), Duration.ZERO);

    assertThatThrownBy(() -> s.consume(spans(3))).isSameAs(bad);
    assertThat(attempts).hasValue(1);
    assertThat(clock.sleeps).isEmpty();
    assertThat(s.failedItems()).isEqualTo(3);
  }

  @Test
  void runtimeException_isPermanent() {
    var s = sender(noQueue, batch -> {
      throw new IllegalStateException("bug");
    }, Duration.ZERO);

    assertThatThrownBy(() -> s.consume(spans(1))).isInstanceOf(ConsumeException.class)
        .hasMessage("exporter otlp/test failed unexpectedly: java.lang.IllegalStateException: bug")
        .satisfies(e -> assertThat(((ConsumeException) e).retryable()).isFalse());
  }

  @Test
  void maxElapsedTime_givesUp() {
    retry.initialInterval = Duration.ofSeconds(1);
    retry.multiplier = 2;
    retry.maxInterval = Duration.ofSeconds(4);
    retry.maxElapsedTime = Duration.ofSeconds(10);
    AtomicInteger attempts = new AtomicInteger();
    ConsumeException down = ConsumeException.unavailable("down", null, null);
    var s = sender(noQueue, failing(100, down, attempts), Duration.ZERO);

    // Waits 1 + 2 + 4 = 7 s; the next 4 s wait would end past 10 s, so it gives up after 4 attempts.
    assertThatThrownBy(() -> s.consume(spans(2))).isSameAs(down);
    assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(attempts).hasValue(4);
    assertThat(s.failedItems()).isEqualTo(2);
  }

  @Test
  void retryDisabled_oneAttempt() {
    retry.enabled = false;
    AtomicInteger attempts = new AtomicInteger();
    ConsumeException down = ConsumeException.unavailable("down", null, null);
    var s = sender(noQueue, failing(100, down, attempts), Duration.ZERO);

    assertThatThrownBy(() -> s.consume(spans(1))).isSameAs(down);
    assertThat(attempts).hasValue(1);
  }

  @Test
  void retryAfter_honouredWhenLongerThanBackoff() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    var s = sender(noQueue,
        failing(1, ConsumeException.overloaded("slow down", Duration.ofSeconds(7)), attempts), Duration.ZERO);

    s.consume(spans(1));

    assertThat(clock.sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void retryAfter_shorterThanBackoff_backoffWins() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    var s = sender(noQueue,
        failing(1, ConsumeException.overloaded("slow down", Duration.ofMillis(1)), attempts), Duration.ZERO);

    s.consume(spans(1));

    assertThat(clock.sleeps).containsExactly(Duration.ofMillis(100));
  }

  @Test
  void retryAfter_pastMaxElapsedTime_givesUp() {
    AtomicInteger attempts = new AtomicInteger();
    ConsumeException later = ConsumeException.overloaded("come back tomorrow", Duration.ofHours(24));
    var s = sender(noQueue, failing(1, later, attempts), Duration.ZERO);

    assertThatThrownBy(() -> s.consume(spans(1))).isSameAs(later);
    assertThat(clock.sleeps).isEmpty();
  }

  @Test
  void queueFull_refusesWithOverloaded() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    var s = sender(queue(true, 1, 2), batch -> {
      entered.countDown();
      await(release);
    }, Duration.ofSeconds(5));
    s.start();

    s.consume(spans(1)); // taken by the one sender thread, which blocks
    assertThat(entered.await(2, TimeUnit.SECONDS)).isTrue();
    s.consume(spans(1));
    s.consume(spans(1)); // the queue (2 batches) is now full

    assertThatThrownBy(() -> s.consume(spans(5)))
        .isInstanceOf(ConsumeException.class)
        .hasMessage("sending queue of exporter otlp/test is full (2 traces batches)")
        .satisfies(e -> {
          ConsumeException c = (ConsumeException) e;
          assertThat(c.reason()).isEqualTo(ConsumeException.Reason.OVERLOADED);
          assertThat(c.retryAfter()).isPresent();
        });
    assertThat(s.refusedItems()).isEqualTo(5);

    release.countDown();
    s.shutdown();
    assertThat(s.sentItems()).isEqualTo(3);
  }

  @Test
  void shutdown_drainsQueue() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> sent = new CopyOnWriteArrayList<>();
    var s = sender(queue(true, 2, 100), batch -> {
      await(release);
      sent.add(Signal.TRACES.count(batch));
    }, Duration.ofSeconds(5));
    s.start();
    for (int i = 1; i <= 10; i++) {
      s.consume(spans(i));
    }

    release.countDown();
    s.shutdown();

    assertThat(sent).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    assertThat(s.sentItems()).isEqualTo(55);
    assertThat(s.queuedBatches()).isZero();
    assertThatThrownBy(() -> s.consume(spans(1)))
        .hasMessage("exporter otlp/test is shutting down")
        .satisfies(e -> assertThat(((ConsumeException) e).reason()).isEqualTo(ConsumeException.Reason.UNAVAILABLE));
    assertThat(s.refusedItems()).isEqualTo(1);
  }

  @Test
  void shutdown_deadlineEndsRetryWaitsAndDropsTheRest() {
    // Waits block until shutdown wakes them: without the deadline this test would never end.
    RetryClock blocking = new RetryClock() {
      @Override
      public long nanoTime() {
        return 0;
      }

      @Override
      public boolean sleep(long nanos, CountDownLatch wakeUp) throws InterruptedException {
        wakeUp.await();
        return true;
      }
    };
    AtomicInteger attempts = new AtomicInteger();
    var s = new QueuedRetrySender<>("otlp/test", Signal.TRACES, retry, queue(true, 1, 10),
        failing(1000, ConsumeException.unavailable("down", null, null), attempts), blocking, () -> 0.5,
        Duration.ofMillis(100));
    s.start();
    for (int i = 0; i < 3; i++) {
      assertThatNoException(() -> s.consume(spans(2)));
    }

    long t0 = System.nanoTime();
    s.shutdown();

    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
    assertThat(s.failedItems()).isEqualTo(6);
    assertThat(s.sentItems()).isZero();
    assertThat(s.queuedBatches()).isZero();
    assertThat(attempts).hasValue(1);
  }

  @Test
  void shutdown_withoutStart_dropsQueuedAndIsIdempotent() throws Exception {
    var s = sender(queue(true, 1, 10), batch -> {}, Duration.ofSeconds(5));
    s.consume(spans(3));

    s.shutdown();
    s.shutdown();

    assertThat(s.failedItems()).isEqualTo(3);
    s.start(); // no-op after shutdown
    assertThatThrownBy(() -> s.consume(spans(1))).isInstanceOf(ConsumeException.class);
  }

  @Test
  void queued_anErrorInOneSend_doesNotEndTheSenderThread() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    CountDownLatch secondSent = new CountDownLatch(1);
    var s = sender(queue(true, 1, 10), batch -> {
      if (attempts.incrementAndGet() == 1) {
        throw new OutOfMemoryError("injected");
      }
      secondSent.countDown();
    }, Duration.ofSeconds(5));
    s.start();
    s.consume(spans(4));
    s.consume(spans(2));

    await(secondSent);
    s.shutdown();

    assertThat(attempts).hasValue(2);
    assertThat(s.failedItems()).isEqualTo(4);
    assertThat(s.sentItems()).isEqualTo(2);
  }

  @Test
  void queued_permanentFailure_droppedAndCounted() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    var s = sender(queue(true, 1, 10), failing(100, ConsumeException.permanent("rejected", null), attempts),
        Duration.ofSeconds(5));
    s.start();
    s.consume(spans(4)); // accepted by the queue: the failure is the exporter's to count

    s.shutdown();

    assertThat(attempts).hasValue(1);
    assertThat(s.failedItems()).isEqualTo(4);
  }

  /** Sends the batch's first {@code sentFirst} items, then fails retryably with the rest as unsent. */
  static BatchSender<ExportTraceServiceRequest> partlyFailing(int sentFirst, List<String> calls,
      ConsumeException.Resend resend) {
    return batch -> {
      calls.add("batch:" + Signal.TRACES.count(batch));
      throw ConsumeException.partial(ConsumeException.unavailable("2 of 3 requests failed", null, null),
          Signal.TRACES.count(batch) - sentFirst, resend);
    };
  }

  @Test
  void partialFailure_resendsOnlyTheRemainder() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    var s = sender(noQueue, partlyFailing(7, calls, () -> calls.add("rest")), Duration.ZERO);

    s.consume(spans(10));

    assertThat(calls).containsExactly("batch:10", "rest");
    assertThat(clock.sleeps).containsExactly(Duration.ofMillis(100));
    assertThat(s.sentItems()).isEqualTo(10);
    assertThat(s.failedItems()).isZero();
  }

  @Test
  void partialFailure_thenPermanent_countsTheDeliveredPartAsSent() {
    List<String> calls = new CopyOnWriteArrayList<>();
    ConsumeException rejected = ConsumeException.permanent("rejected", null);
    var s = sender(noQueue, partlyFailing(7, calls, () -> {
      calls.add("rest");
      throw rejected;
    }), Duration.ZERO);

    assertThatThrownBy(() -> s.consume(spans(10))).isSameAs(rejected);
    assertThat(calls).containsExactly("batch:10", "rest");
    assertThat(s.sentItems()).isEqualTo(7);
    assertThat(s.failedItems()).isEqualTo(3);
  }

  @Test
  void partialFailure_shrinkingRemainder_eachRetrySendsOnlyWhatIsLeft() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    ConsumeException down = ConsumeException.unavailable("down", null, null);
    // 10 items: the first send delivers 4, the resend of 6 delivers 4 more, the resend of 2 fails whole,
    // and its retry (the same 2 again, not the batch) delivers them.
    AtomicInteger lastTries = new AtomicInteger();
    ConsumeException.Resend last = () -> {
      calls.add("last 2");
      if (lastTries.incrementAndGet() == 1) {
        throw down;
      }
    };
    ConsumeException.Resend middle = () -> {
      calls.add("middle 6");
      throw ConsumeException.partial(down, 2, last);
    };
    var s = sender(noQueue, partlyFailing(4, calls, middle), Duration.ZERO);

    s.consume(spans(10));

    assertThat(calls).containsExactly("batch:10", "middle 6", "last 2", "last 2");
    assertThat(clock.sleeps).hasSize(3);
    assertThat(s.sentItems()).isEqualTo(10);
    assertThat(s.failedItems()).isZero();
  }

  @Test
  void partialFailure_givingUp_countsOnlyTheRemainderAsFailed() {
    retry.maxElapsedTime = Duration.ofMillis(150); // one wait of 100 ms, then the next would pass it
    List<String> calls = new CopyOnWriteArrayList<>();
    ConsumeException down = ConsumeException.unavailable("still down", null, null);
    var s = sender(noQueue, partlyFailing(6, calls, () -> {
      calls.add("rest");
      throw down;
    }), Duration.ZERO);

    assertThatThrownBy(() -> s.consume(spans(10))).isSameAs(down);
    assertThat(calls).containsExactly("batch:10", "rest");
    assertThat(s.sentItems()).isEqualTo(6);
    assertThat(s.failedItems()).isEqualTo(4);
  }

  @Test
  void partialFailure_overstatedRemainder_neverCountsMoreThanTheBatch() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    var s = sender(noQueue, batch -> {
      throw ConsumeException.partial(ConsumeException.unavailable("down", null, null), 50, () -> calls.add("rest"));
    }, Duration.ZERO);

    s.consume(spans(10));

    assertThat(calls).containsExactly("rest");
    assertThat(s.sentItems()).isEqualTo(10);
  }

  @Test
  void partialFailure_queued_resendsOnlyTheRemainder() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    var s = sender(queue(true, 1, 10), partlyFailing(3, calls, () -> calls.add("rest")), Duration.ofSeconds(5));
    s.start();

    s.consume(spans(5));
    s.shutdown();

    assertThat(calls).containsExactly("batch:5", "rest");
    assertThat(s.sentItems()).isEqualTo(5);
    assertThat(s.failedItems()).isZero();
  }

  @Test
  void partial_keepsTheFailuresReasonMessageAndRetryAfter() {
    ConsumeException failure = ConsumeException.overloaded("slow down", Duration.ofSeconds(3));
    ConsumeException p = ConsumeException.partial(failure, 2, () -> {});

    assertThat(p.reason()).isEqualTo(ConsumeException.Reason.OVERLOADED);
    assertThat(p).hasMessage("slow down");
    assertThat(p.retryAfter()).contains(Duration.ofSeconds(3));
    assertThat(p.unsent()).hasValueSatisfying(u -> assertThat(u.items()).isEqualTo(2));
    assertThat(failure.unsent()).isEmpty();
    assertThatThrownBy(() -> ConsumeException.partial(failure, -1, () -> {}))
        .hasMessage("items: -1 (expected: >= 0)");
  }

  private static void assertThatNoException(ThrowingRunnable r) {
    try {
      r.run();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private interface ThrowingRunnable {
    void run() throws Exception;
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
