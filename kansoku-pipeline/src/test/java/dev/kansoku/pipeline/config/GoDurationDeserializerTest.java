package dev.kansoku.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationDeserializerTest {
  private static void check(String text, Duration expected) {
    assertThat(GoDurationDeserializer.parse(text)).isEqualTo(expected);
  }

  @Test
  void goForms() {
    check("200ms", Duration.ofMillis(200));
    check("5s", Duration.ofSeconds(5));
    check("1m30s", Duration.ofSeconds(90));
    check("1.5h", Duration.ofMinutes(90));
    check("0", Duration.ZERO);
    check("0s", Duration.ZERO);
    check("250us", Duration.ofNanos(250_000));
    check("250µs", Duration.ofNanos(250_000));
    check("10ns", Duration.ofNanos(10));
    check("-2s", Duration.ofSeconds(-2));
    check(".5s", Duration.ofMillis(500));
  }

  @Test
  void rejects() {
    for (String bad : new String[] {"", "5", "5x", "s", "1m 30s", "abc", "5sec"}) {
      assertThatThrownBy(() -> GoDurationDeserializer.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
