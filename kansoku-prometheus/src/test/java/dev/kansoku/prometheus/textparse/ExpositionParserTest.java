package dev.kansoku.prometheus.textparse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpositionParserTest {
  record Seen(String name, Map<String, String> labels, double value, long ts) {}

  static final class Capture implements SampleSink {
    final List<Seen> samples = new ArrayList<>();
    final Map<String, Metadata> metadata = new LinkedHashMap<>();
    final List<String> created = new ArrayList<>();

    @Override
    public void metadata(String name, Metadata m) {
      metadata.put(name, m);
    }

    @Override
    public void sample(String name, String[] labels, int n, double value, long ts) {
      samples.add(new Seen(name, map(labels, n), value, ts));
    }

    @Override
    public void created(String family, String[] labels, int n, double seconds) {
      created.add(family + map(labels, n) + "=" + seconds);
    }

    private static Map<String, String> map(String[] labels, int n) {
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        m.put(labels[2 * i], labels[2 * i + 1]);
      }
      return m;
    }
  }

  private static Capture parse(String body, boolean om) throws ExpositionException {
    Capture c = new Capture();
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    new ExpositionParser().parse(b, b.length, om, c);
    return c;
  }

  @Test
  void text_typesHelpLabelsEscapesTimestamps() throws Exception {
    Capture c = parse("""
        # HELP http_requests_total The total number of HTTP requests.\\nSecond line \\\\ done
        # TYPE http_requests_total counter
        http_requests_total{method="post",code="200"} 1027 1395066363000
        http_requests_total{method="post",code="400",} 3 1395066363000

        # A plain comment
        msdos_file_access_time_seconds{path="C:\\\\DIR\\\\FILE.TXT",error="Cannot find file:\\n\\"FILE.TXT\\""} 1.458255915e9
        metric_without_timestamp_and_labels 12.47
        something_weird{problem="division by zero"} +Inf -3982045
        nan_metric NaN
          indented 1
        {"my.dotted.metric", "a.b"="c"} 2
        """, false);
    assertThat(c.metadata.get("http_requests_total"))
        .isEqualTo(new Metadata("counter", "The total number of HTTP requests.\nSecond line \\ done", ""));
    assertThat(c.samples).hasSize(8);
    assertThat(c.samples.get(0)).isEqualTo(new Seen("http_requests_total", Map.of("method", "post", "code", "200"), 1027,
        1395066363000L));
    assertThat(c.samples.get(1).labels()).containsEntry("code", "400");
    assertThat(c.samples.get(2).labels()).containsEntry("path", "C:\\DIR\\FILE.TXT")
        .containsEntry("error", "Cannot find file:\n\"FILE.TXT\"");
    assertThat(c.samples.get(3).ts()).isEqualTo(Long.MIN_VALUE);
    assertThat(c.samples.get(4).value()).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(c.samples.get(4).ts()).isEqualTo(-3982045L);
    assertThat(c.samples.get(5).value()).isNaN();
    assertThat(c.samples.get(7)).isEqualTo(new Seen("my.dotted.metric", Map.of("a.b", "c"), 2, Long.MIN_VALUE));
  }

  @Test
  void openMetrics_unitCreatedExemplarEof() throws Exception {
    Capture c = parse("""
        # TYPE foo_seconds counter
        # UNIT foo_seconds seconds
        # HELP foo_seconds Time spent.
        foo_seconds_total{a="b"} 17.0 1520879607.789 # {trace_id="KOO5S4vxi0o"} 0.67
        foo_seconds_created{a="b"} 1520430000.123
        # TYPE hist histogram
        hist_bucket{le="0.5"} 1
        hist_bucket{le="+Inf"} 2
        hist_count 2
        hist_sum 1.5
        hist_created 1520430000
        # EOF
        """, true);
    assertThat(c.metadata.get("foo_seconds")).isEqualTo(new Metadata("counter", "Time spent.", "seconds"));
    assertThat(c.samples.get(0)).isEqualTo(new Seen("foo_seconds_total", Map.of("a", "b"), 17.0, 1520879607789L));
    assertThat(c.created).containsExactly("foo_seconds{a=b}=1.520430000123E9", "hist{}=1.52043E9");
    assertThat(c.samples).extracting(Seen::name).containsExactly("foo_seconds_total", "hist_bucket", "hist_bucket",
        "hist_count", "hist_sum");
  }

  @Test
  void badExposition_namesTheLine() {
    assertThatThrownBy(() -> parse("ok 1\nbad{a=\"b\" 1\n", false)).isInstanceOf(ExpositionException.class)
        .hasMessage("text format line 2: expected ',' or '}' in label set");
    assertThatThrownBy(() -> parse("metric one\n", false)).hasMessage("text format line 1: invalid value \"one\"");
    assertThatThrownBy(() -> parse("# TYPE m countr\n", false))
        .hasMessage("text format line 1: invalid metric type \"countr\"");
    assertThatThrownBy(() -> parse("m 1 12.5\n", false)).hasMessage("text format line 1: invalid timestamp \"12.5\"");
    assertThatThrownBy(() -> parse("m{a=\"1\",a=\"2\"} 1\n", false))
        .hasMessage("text format line 1: duplicate label name \"a\"");
    assertThatThrownBy(() -> parse("m{a=\"x\\qy\"} 1\n", false)).hasMessageContaining("invalid escape sequence");
    assertThatThrownBy(() -> parse("m 1\n", true)).hasMessage("data does not end with # EOF");
    assertThatThrownBy(() -> parse("# EOF\nm 1\n", true)).hasMessage("OpenMetrics line 2: unexpected data after # EOF");
    assertThatThrownBy(() -> parse("# UNIT m_bytes seconds\n# EOF\n", true))
        .hasMessageContaining("unit \"seconds\" not a suffix of metric \"m_bytes\"");
    assertThatThrownBy(() -> parse("m 1 # {a=\"b\"} 1\n", false)).hasMessageContaining("unexpected text after the sample");
  }
}
