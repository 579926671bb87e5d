package dev.kansoku.pipeline.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.testing.TestData;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryCheckerTest {
  private static final long MIB = 1 << 20;
  private final AtomicLong heap = new AtomicLong();
  private final AtomicLong afterGc = new AtomicLong(-1);
  private final AtomicInteger gcs = new AtomicInteger();

  private MemoryChecker checker(int limitMib, int spikeMib) {
    MemoryLimiterConfig c = new MemoryLimiterConfig();
    c.checkInterval = Duration.ofSeconds(1);
    c.limitMib = limitMib;
    c.spikeLimitMib = spikeMib;
    c.validate();
    return new MemoryChecker("memory_limiter", c, 1024 * MIB, heap::get, () -> {
      gcs.incrementAndGet();
      if (afterGc.get() >= 0) {
        heap.set(afterGc.get());
      }
    });
  }

  @Test
  void belowSoftLimit_accepts_withoutCollecting() {
    MemoryChecker c = checker(100, 20);
    heap.set(79 * MIB);
    c.check();
    assertThat(c.refusing()).isFalse();
    assertThat(gcs).hasValue(0);
  }

  @Test
  void aboveSoftLimit_butGarbage_collectsAndAccepts() {
    MemoryChecker c = checker(100, 20);
    heap.set(95 * MIB);
    afterGc.set(30 * MIB);
    c.check();
    assertThat(gcs).hasValue(1);
    assertThat(c.refusing()).isFalse();
  }

  @Test
  void liveDataAboveSoftLimit_refuses_thenRecovers() {
    MemoryChecker c = checker(100, 20);
    heap.set(90 * MIB);
    afterGc.set(85 * MIB);
    c.check();
    assertThat(c.refusing()).isTrue();

    afterGc.set(40 * MIB);
    c.check();
    assertThat(c.refusing()).isFalse();
  }

  @Test
  void defaultSpike_isOneFifthOfLimit() {
    MemoryLimiterConfig c = new MemoryLimiterConfig();
    c.limitMib = 100;
    assertThat(c.softLimitBytes(1024 * MIB)).isEqualTo(80 * MIB);
    MemoryLimiterConfig p = new MemoryLimiterConfig();
    p.limitPercentage = 80;
    p.spikeLimitPercentage = 25;
    assertThat(p.hardLimitBytes(1000 * MIB)).isEqualTo(800 * MIB);
    assertThat(p.softLimitBytes(1000 * MIB)).isEqualTo(550 * MIB);
  }

  @Test
  void processor_refusesWithRetryableOverloaded_whileCheckerRefuses() throws Exception {
    MemoryChecker c = checker(100, 20);
    AtomicInteger passed = new AtomicInteger();
    MemoryLimiterProcessor<io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest> p =
        new MemoryLimiterProcessor<>("memory_limiter", c, data -> passed.incrementAndGet());
    heap.set(90 * MIB);
    afterGc.set(90 * MIB);
    c.check();

    assertThatThrownBy(() -> p.consume(TestData.traces(1, 1, 1, 0)))
        .isInstanceOfSatisfying(ConsumeException.class, e -> {
          assertThat(e.reason()).isEqualTo(ConsumeException.Reason.OVERLOADED);
          assertThat(e.retryable()).isTrue();
          assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
          assertThat(e.getMessage()).isEqualTo("memory_limiter memory_limiter: data refused, heap in use 90 MiB is"
              + " above the soft limit 80 MiB; retry later");
        });
    assertThat(p.refusedBatches()).isEqualTo(1);

    afterGc.set(10 * MIB);
    c.check();
    p.consume(TestData.traces(1, 1, 1, 0));
    assertThat(passed).hasValue(1);
  }

  @Test
  void admission_refusedAboveSoftLimit_withRetryDelay() {
    MemoryChecker c = checker(100, 20);
    heap.set(90 * MIB);
    afterGc.set(90 * MIB);
    c.check();
    assertThatThrownBy(() -> c.admit(1)).isInstanceOfSatisfying(ConsumeException.class, e -> {
      assertThat(e.reason()).isEqualTo(ConsumeException.Reason.OVERLOADED);
      assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
      assertThat(e.getMessage()).isEqualTo("memory_limiter memory_limiter: data refused, heap in use 90 MiB is above"
          + " the soft limit 80 MiB; retry later");
    });
    assertThat(c.inFlightBytes()).isZero();
  }

  @Test
  void admission_boundsBytesInFlight_toTheSpikeHeadroom() throws Exception {
    MemoryChecker c = checker(100, 20); // headroom: 20 MiB
    heap.set(10 * MIB);
    c.check();
    dev.kansoku.pipeline.Admission.Permit a = c.admit(15 * MIB);
    assertThatThrownBy(() -> c.admit(10 * MIB)).isInstanceOfSatisfying(ConsumeException.class,
        e -> assertThat(e.getMessage()).isEqualTo("memory_limiter memory_limiter: data refused, 15 MiB of requests"
            + " in flight; this one needs 10 MiB more and the spike headroom is 20 MiB; retry later"));
    dev.kansoku.pipeline.Admission.Permit b = c.admit(5 * MIB);
    assertThatThrownBy(() -> b.grow(1 * MIB)).isInstanceOf(ConsumeException.class);
    a.close();
    a.close(); // idempotent
    b.grow(10 * MIB);
    assertThat(c.inFlightBytes()).isEqualTo(15 * MIB);
    b.close();
    assertThat(c.inFlightBytes()).isZero();

    // Alone, a request larger than the headroom is admitted (and may grow), or it could never get in.
    dev.kansoku.pipeline.Admission.Permit big = c.admit(50 * MIB);
    big.grow(10 * MIB);
    assertThatThrownBy(() -> c.admit(1)).isInstanceOf(ConsumeException.class);
    big.close();
    c.admit(1).close();
  }

  @Test
  void admission_alone_stillHasToFitInTheHeap() throws Exception {
    MemoryChecker c = checker(800, 100); // max heap 1024 MiB, headroom 100 MiB
    heap.set(600 * MIB);
    c.check();
    assertThatThrownBy(() -> c.admit(500 * MIB)).isInstanceOfSatisfying(ConsumeException.class,
        e -> assertThat(e.getMessage()).contains("this request needs 500 MiB and the heap holds 600 of its 1024 MiB"));
    dev.kansoku.pipeline.Admission.Permit p = c.admit(400 * MIB);
    assertThatThrownBy(() -> p.grow(100 * MIB)).isInstanceOf(ConsumeException.class);
    p.close();
    heap.set(100 * MIB);
    c.check();
    c.admit(500 * MIB).close();
  }

  @Test
  void measuringThread_survivesAnErrorInItsLoop_andStopsRefusing() throws Exception {
    MemoryLimiterConfig config = new MemoryLimiterConfig();
    config.checkInterval = Duration.ofMillis(20);
    config.limitMib = 100;
    config.spikeLimitMib = 20;
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger thrown = new AtomicInteger();
    heap.set(95 * MIB);
    MemoryChecker c = new MemoryChecker("memory_limiter", config, 1024 * MIB, () -> {
      // the 3rd and 4th readings fail as they would in an exhausted JVM
      int n = reads.incrementAndGet();
      if (n == 3 || n == 4) {
        thrown.incrementAndGet();
        throw new OutOfMemoryError("Java heap space (test)");
      }
      return heap.get();
    }, () -> { });
    c.acquire();
    try {
      assertThat(c.refusing()).isTrue();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (thrown.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(thrown).hasValue(2);
      heap.set(10 * MIB); // memory is back: the same thread must notice
      while (c.refusing() && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(c.refusing()).isFalse();
      c.admit(1).close();
    } finally {
      c.release();
    }
  }

  @Test
  void staleState_isMeasuredAgainByTheCaller_notTrustedForever() throws Exception {
    MemoryLimiterConfig config = new MemoryLimiterConfig();
    config.checkInterval = Duration.ofMillis(10);
    config.limitMib = 100;
    config.spikeLimitMib = 20;
    MemoryChecker c = new MemoryChecker("memory_limiter", config, 1024 * MIB, heap::get, () -> { });
    heap.set(95 * MIB);
    c.check(); // refusing; no measuring thread runs (never acquired), as if it had died
    assertThat(c.refusing()).isTrue();
    heap.set(10 * MIB);
    Thread.sleep(50); // > 3 intervals
    assertThat(c.refusing()).isFalse();
  }
}
