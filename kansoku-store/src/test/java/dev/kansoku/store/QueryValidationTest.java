package dev.kansoku.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.model.SpanId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Query builders reject nonsense before any backend sees it, with messages that name the values. */
class QueryValidationTest {
  @Test
  void traceQuery_limit() {
    assertThatThrownBy(() -> TraceQuery.builder().limit(0).build()).hasMessage("limit <= 0: 0");
  }

  @Test
  void traceQuery_maxDuration_below_min() {
    assertThatThrownBy(() -> TraceQuery.builder().minDuration(Duration.ofMillis(10)).maxDuration(Duration.ofMillis(5)).build())
        .hasMessage("maxDuration < minDuration: 5000000 < 10000000 ns");
  }

  @Test
  void traceQuery_end_before_start() {
    assertThatThrownBy(() -> TraceQuery.builder().window(Instant.parse("2023-11-15T00:50:13Z"),
        Instant.parse("2023-11-15T00:50:12Z")).build())
        .hasMessage("end < start: 2023-11-15T00:50:12Z < 2023-11-15T00:50:13Z");
  }

  @Test
  void spanFilter_http_status_range() {
    assertThatThrownBy(() -> TraceQuery.builder().httpStatusRange(500, 400).build())
        .hasMessage("httpStatus range: 500..400 (expected: 0 <= min <= max <= 999)");
  }

  @Test
  void attributeCondition_value_kinds() {
    assertThatThrownBy(() -> new AttributeCondition("a", AttributeCondition.Op.GREATER, "x"))
        .hasMessage("GREATER a: value x (expected: a number)");
    assertThatThrownBy(() -> new AttributeCondition("a", AttributeCondition.Op.EXISTS, 1L))
        .hasMessage("EXISTS a: value 1 (expected: none)");
    assertThatThrownBy(() -> new AttributeCondition("a", AttributeCondition.Op.EQUALS, null))
        .hasMessage("EQUALS a: no value");
  }

  @Test
  void attributeCondition_compares_numbers_by_value() {
    assertThat(AttributeCondition.equalTo("s", 200L).test(200.0)).isTrue();
    assertThat(AttributeCondition.equalTo("s", 200L).test("200")).isTrue();
    assertThat(AttributeCondition.equalTo("s", 200L).test(201L)).isFalse();
    assertThat(new AttributeCondition("s", AttributeCondition.Op.LESS, 3).test("2.5")).isTrue();
    assertThat(new AttributeCondition("s", AttributeCondition.Op.NOT_EQUALS, "a").test(null)).isTrue();
  }

  @Test
  void traceFilter_any_needs_alternatives() {
    assertThatThrownBy(() -> new TraceFilter.Any(List.of())).hasMessage("Any: no alternatives (it would match nothing)");
  }

  @Test
  void logQuery_limit_window_token_span() {
    assertThatThrownBy(() -> LogQuery.builder().limit(-1).build()).hasMessage("limit <= 0: -1");
    assertThatThrownBy(() -> LogQuery.builder().window(10, 5).build())
        .hasMessage("end < start: 1970-01-01T00:00:00.000000005Z < 1970-01-01T00:00:00.000000010Z");
    assertThatThrownBy(() -> LogQuery.builder().pageToken("bogus").build())
        .hasMessage("pageToken: 'bogus' (not a token this store issued)");
    assertThatThrownBy(() -> LogQuery.builder().spanId(SpanId.parse("00f067aa0ba902b7")).build())
        .hasMessage("spanId 00f067aa0ba902b7 without a traceId (span ids are unique only within a trace)");
  }

  @Test
  void logCursor_round_trip() {
    LogCursor c = new LogCursor(1_700_009_413_000_000_000L, 42);
    assertThat(LogCursor.decode(c.encode())).isEqualTo(c);
  }

  @Test
  void textQuery_parse() {
    TextQuery q = TextQuery.parse("GET \"rolling the dice\" -alice ?a ?b");
    assertThat(q.all()).containsExactly("GET", "rolling the dice");
    assertThat(q.none()).containsExactly("alice");
    assertThat(q.any()).containsExactly("a", "b");
    assertThatThrownBy(() -> TextQuery.parse("\"open")).hasMessage("pattern: unclosed quote at 0 in '\"open'");
  }

  @Test
  void textQuery_whole_words() {
    assertThat(TextQuery.occurs("GET \"/rolldice\"", "rolldice")).isTrue();
    assertThat(TextQuery.occurs("rolldicer", "rolldice")).isFalse();
    assertThat(TextQuery.occurs("a rolldice b", "dice")).isFalse();
    assertThat(TextQuery.occurs("x=1-655415c5-f8ce3ffe767daf7d6ef94d72@ed47", "1-655415c5-f8ce3ffe767daf7d6ef94d72")).isTrue();
    assertThat(TextQuery.occurs("key=", "=")).isTrue();
  }

  @Test
  void metricQuery_rejects() {
    assertThatThrownBy(() -> MetricQuery.builder("ns", "m").statistic("Sum").build())
        .hasMessage("window: not set (CloudWatch requires StartTime and EndTime)");
    assertThatThrownBy(() -> MetricQuery.builder("ns", "m").window(5, 5).statistic("Sum").build())
        .hasMessage("end <= start: 1970-01-01T00:00:00.000000005Z <= 1970-01-01T00:00:00.000000005Z");
    assertThatThrownBy(() -> MetricQuery.builder("ns", "m").window(0, 5).periodSeconds(0).statistic("Sum").build())
        .hasMessage("period <= 0: 0 s");
    assertThatThrownBy(() -> MetricQuery.builder("ns", "m").window(0, 5).build())
        .hasMessage("statistics: none (expected: at least one of Sum, Average, Minimum, Maximum, SampleCount, pNN)");
  }

  @Test
  void statistic_names() {
    assertThat(Statistic.parse("p99")).isEqualTo(Statistic.percentile(99));
    assertThat(Statistic.parse("p99.9").name()).isEqualTo("p99.9");
    assertThat(Statistic.parse("SampleCount")).isEqualTo(Statistic.SAMPLE_COUNT);
    assertThatThrownBy(() -> Statistic.parse("p101"))
        .hasMessage("statistic: 'p101' (expected: a percentile between p0 and p100, e.g. p99)");
    assertThatThrownBy(() -> Statistic.parse("Median"))
        .hasMessage("statistic: 'Median' (expected: Sum, Average, Minimum, Maximum, SampleCount or pNN such as p99)");
  }

  @Test
  void percentile_nearest_rank() {
    double[] v = new double[100];
    for (int i = 0; i < 100; i++) {
      v[i] = 100 - i;
    }
    assertThat(MetricStats.percentile(v, 99)).isEqualTo(99);
    assertThat(MetricStats.percentile(v, 100)).isEqualTo(100);
    assertThat(MetricStats.percentile(v, 0.5)).isEqualTo(1);
    assertThat(MetricStats.percentile(new double[0], 50)).isNaN();
  }
}
