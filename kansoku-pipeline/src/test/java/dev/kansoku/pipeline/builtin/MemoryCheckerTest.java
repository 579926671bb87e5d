package dev.kansoku.pipeline.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.testing.TestData;
import java.time.Duration;
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
}
