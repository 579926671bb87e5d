package dev.kansoku.pipeline.exporterhelper;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackoffTest {
  static final long S = TimeUnit.SECONDS.toNanos(1);

  @Test
  void jitter_staysWithinRandomizationFactor() {
    assertThat(new Backoff(10 * S, 0.5, 2, 100 * S, () -> 0).next()).isEqualTo(5 * S);
    assertThat(new Backoff(10 * S, 0.5, 2, 100 * S, () -> 0.5).next()).isEqualTo(10 * S);
    assertThat(new Backoff(10 * S, 0.5, 2, 100 * S, () -> 0.999999).next()).isBetween(14 * S, 15 * S);
  }

  @Test
  void interval_growsByMultiplier_cappedAtMax() {
    Backoff b = new Backoff(1 * S, 0, 3, 10 * S, () -> 0.7);
    assertThat(b.next()).isEqualTo(1 * S);
    assertThat(b.next()).isEqualTo(3 * S);
    assertThat(b.next()).isEqualTo(9 * S);
    assertThat(b.next()).isEqualTo(10 * S);
    assertThat(b.next()).isEqualTo(10 * S);
  }

  @Test
  void jitter_neverExceedsMax() {
    Backoff b = new Backoff(10 * S, 0.5, 1, 10 * S, () -> 0.99);
    assertThat(b.next()).isEqualTo(10 * S);
  }
}
