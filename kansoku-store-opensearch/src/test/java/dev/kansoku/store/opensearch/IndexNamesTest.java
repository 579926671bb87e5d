package dev.kansoku.store.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class IndexNamesTest {
  private final IndexNames spans = new IndexNames("kansoku", IndexNames.SPANS);

  private void check(long nanos, String expected) {
    assertThat(spans.forTime(nanos)).isEqualTo(expected);
  }

  @Test
  void daily_index_by_utc_day_of_the_record_time() {
    check(0, "kansoku-spans-1970.01.01");
    check(86_400_000_000_000L - 1, "kansoku-spans-1970.01.01");
    check(86_400_000_000_000L, "kansoku-spans-1970.01.02");
    check(1_699_999_999_000_000_000L, "kansoku-spans-2023.11.14");
    check(-1, "kansoku-spans-1969.12.31");
  }

  @Test
  void day_of_index_reads_back_only_this_signals_indices() {
    assertThat(spans.dayOf("kansoku-spans-2023.11.14")).isEqualTo(LocalDate.of(2023, 11, 14));
    assertThat(spans.dayOf("kansoku-logs-2023.11.14")).isNull();
    assertThat(spans.dayOf("kansoku-spans-2023.11.14-restored")).isNull();
    assertThat(spans.dayOf("other-spans-2023.11.14")).isNull();
    assertThat(IndexNames.startNanos(LocalDate.of(1970, 1, 2))).isEqualTo(86_400_000_000_000L);
  }

  @Test
  void pattern_and_template_name() {
    assertThat(spans.pattern()).isEqualTo("kansoku-spans-*");
    assertThat(spans.template()).isEqualTo("kansoku-spans");
  }
}
