package dev.kansoku.aws.emf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeltaCacheTest {
  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    long millis = 1_000_000;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis);
    }
  }

  private static DeltaCache.Key key(String name, Map<String, String> labels) {
    return new DeltaCache.Key(name, "ns", "/metrics/ns", "", labels);
  }

  @Test
  void firstValueIsABaseline_thenDeltas() {
    TestClock clock = new TestClock();
    DeltaCache<Double> c = new DeltaCache<>((a, b) -> a - b, clock);

    assertThat(c.update(key("m", Map.of("a", "1")), 10.0, clock.millis).first()).isTrue();
    assertThat(c.update(key("m", Map.of("a", "1")), 15.0, clock.millis).delta()).isEqualTo(5.0);
    assertThat(c.update(key("m", Map.of("a", "2")), 15.0, clock.millis).first()).isTrue();
  }

  /** metric_calculator_test.go TestMapWithExpiryCleanup: an entry is as old as the value's timestamp. */
  @Test
  void sweepEvery5Minutes_forgetsSeriesWhoseLastPointIs5MinutesOld() {
    TestClock clock = new TestClock();
    DeltaCache<Double> c = new DeltaCache<>((a, b) -> a - b, clock);
    c.update(key("old", Map.of()), 1.0, clock.millis);
    clock.millis += DeltaCache.TTL_MILLIS - 1;
    c.update(key("kept", Map.of()), 1.0, clock.millis);
    clock.millis += 1;
    c.update(key("kept", Map.of()), 2.0, clock.millis);

    assertThat(c.size()).isEqualTo(1);
    assertThat(c.update(key("old", Map.of()), 5.0, clock.millis).first()).isTrue();
  }

  /**
   * The reference stores the data point's timestamp, not the arrival time: a series updated every
   * minute whose points are stamped more than 5 minutes back loses its baseline at the next sweep.
   */
  @Test
  void pointsStampedLongAgo_expireAtTheNextSweepEvenWhenUpdatedRecently() {
    TestClock clock = new TestClock();
    DeltaCache<Double> c = new DeltaCache<>((a, b) -> a - b, clock);
    long stale = clock.millis - DeltaCache.TTL_MILLIS;
    c.update(key("late", Map.of()), 1.0, stale);
    clock.millis += 60_000;
    assertThat(c.update(key("late", Map.of()), 3.0, stale).delta()).isEqualTo(2.0);
    clock.millis += DeltaCache.TTL_MILLIS;

    assertThat(c.update(key("late", Map.of()), 4.0, stale).first()).isTrue();
  }
}
