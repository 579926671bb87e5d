package dev.kansoku.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
  @Test
  void percentiles_uniform() {
    LatencyHistogram h = new LatencyHistogram();
    for (int v = 1; v <= 100_000; v++) {
      h.record(v);
    }
    check(h.percentile(50), 50_000);
    check(h.percentile(99), 99_000);
    assertThat(h.percentile(100)).isEqualTo(100_000);
    assertThat(h.max()).isEqualTo(100_000);
    assertThat(h.count()).isEqualTo(100_000);
  }

  @Test
  void smallValuesExact() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(3);
    h.record(7);
    h.record(200);
    assertThat(h.percentile(50)).isEqualTo(7);
    assertThat(h.percentile(0)).isEqualTo(3);
  }

  @Test
  void empty_isZero() {
    assertThat(new LatencyHistogram().percentile(99)).isZero();
  }

  @Test
  void merge_addsCounts() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    for (int i = 0; i < 99; i++) {
      a.record(1_000);
    }
    b.record(5_000_000);
    a.add(b);
    check(a.percentile(99), 1_000);
    assertThat(a.percentile(100)).isEqualTo(5_000_000);
  }

  @Test
  void buckets_coverEveryValue_withinOnePercent() {
    for (long v : new long[] {0, 255, 256, 257, 1_000, 65_535, 65_536, 123_456_789, (1L << 32) - 1}) {
      int i = LatencyHistogram.index(v);
      assertThat(LatencyHistogram.upperBound(i)).isGreaterThanOrEqualTo(v);
      assertThat(LatencyHistogram.upperBound(i)).isLessThanOrEqualTo((long) (v * 1.008) + 1);
      if (i > 0) {
        assertThat(LatencyHistogram.upperBound(i - 1)).isLessThan(v);
      }
    }
  }

  @Test
  void percentile_outOfRange() {
    assertThatThrownBy(() -> new LatencyHistogram().percentile(101))
        .hasMessage("percentile: 101.0 (expected: 0..100)");
  }

  private static void check(long actual, long expected) {
    assertThat(actual).isBetween(expected, (long) (expected * 1.008));
  }
}
