package dev.kansoku.contrib.healthcheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Expected strings are what Go's time package prints for the same values. */
class GoTimeTest {
  @Test
  void durations_read_as_go_prints_them() {
    assertThat(GoTime.duration(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoTime.duration(Duration.ofNanos(999))).isEqualTo("999ns");
    assertThat(GoTime.duration(Duration.ofNanos(1_500))).isEqualTo("1.5µs");
    assertThat(GoTime.duration(Duration.ofMillis(850))).isEqualTo("850ms");
    assertThat(GoTime.duration(Duration.ofNanos(1_234_567))).isEqualTo("1.234567ms");
    assertThat(GoTime.duration(Duration.ofNanos(49_013_251_800L))).isEqualTo("49.0132518s");
    assertThat(GoTime.duration(Duration.ofSeconds(61))).isEqualTo("1m1s");
    assertThat(GoTime.duration(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(GoTime.duration(Duration.ofMinutes(90).plusMillis(2_500))).isEqualTo("1h30m2.5s");
    assertThat(GoTime.duration(Duration.ofSeconds(-2))).isEqualTo("-2s");
  }

  @Test
  void instants_read_as_go_marshals_them() {
    Instant t = Instant.parse("2026-12-07T01:02:03.120000000Z");
    assertThat(GoTime.rfc3339Nano(t, ZoneOffset.UTC)).isEqualTo("2026-12-07T01:02:03.12Z");
    assertThat(GoTime.rfc3339Nano(Instant.parse("2026-12-07T01:02:03Z"), ZoneOffset.UTC))
        .isEqualTo("2026-12-07T01:02:03Z");
    assertThat(GoTime.rfc3339Nano(t, ZoneId.of("Asia/Tokyo"))).isEqualTo("2026-12-07T10:02:03.12+09:00");
  }
}
