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
    DeltaCache<Double> c = new DeltaCache<>((a, b) -> a - b, new TestClock());

    assertThat(c.update(key("m", Map.of("a", "1")), 10.0).first()).isTrue();
    assertThat(c.update(key("m", Map.of("a", "1")), 15.0).delta()).isEqualTo(5.0);
    assertThat(c.update(key("m", Map.of("a", "2")), 15.0).first()).isTrue();
  }

  @Test
  void seriesUnseenFor5Minutes_isForgotten() {
    TestClock clock = new TestClock();
    DeltaCache<Double> c = new DeltaCache<>((a, b) -> a - b, clock);
    c.update(key("old", Map.of()), 1.0);
    clock.millis += DeltaCache.TTL_MILLIS - 1;
    c.update(key("kept", Map.of()), 1.0);
    clock.millis += 2;
    c.update(key("kept", Map.of()), 2.0);

    assertThat(c.size()).isEqualTo(1);
    assertThat(c.update(key("old", Map.of()), 5.0).first()).isTrue();
  }
}
