package dev.kansoku.contrib.statsdreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.statsdreceiver.StatsdLine.Type;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Upstream's Test_ParseMessageToMetric cases (statsd_parser_test.go), one line each. */
class StatsdLineTest {
  private static void check(String line, String name, double value, boolean addition, Type type, double rate,
      Map<String, String> attrs, long timestamp) {
    check(line, false, false, name, value, addition, type, rate, attrs, timestamp);
  }

  private static void check(String line, boolean metricType, boolean simpleTags, String name, double value,
      boolean addition, Type type, double rate, Map<String, String> attrs, long timestamp) {
    assertThat(StatsdLine.parse(line, metricType, simpleTags)).as(line)
        .isEqualTo(new StatsdLine(name, type, new TreeMap<>(attrs), value, addition, rate, timestamp));
  }

  private static void refused(String line, String message) {
    assertThatThrownBy(() -> StatsdLine.parse(line, false, false)).as(line).hasMessage(message);
  }

  @Test
  void malformedLines_areRefusedWithUpstreamsWords() {
    refused("", "invalid message format: ");
    refused("test.metric|c", "invalid <name>:<value> format: test.metric");
    refused(":42|c", "empty metric name");
    refused("test.metric:|c", "empty metric value");
    refused("test.metric:42|c|@1.0a", "parse sample rate: 1.0a");
    refused("test.metric:42|c|#:val1", "invalid tag format: \":val1\"");
    refused("test.metric:42|c|$extra", "unrecognized message part: $extra");
    refused("test.metric:42.abc|c", "parse metric value string: 42.abc");
    refused("test.metric:42|unhandled_type", "unsupported metric type: unhandled_type");
    refused("test.metric:42.abc|g", "parse metric value string: 42.abc");
    refused("test.metric:42.abc|h", "parse metric value string: 42.abc");
    refused("test.metric:42|h|T1656581400", "only GAUGE and COUNT metrics support a timestamp");
    refused("test.metric:42|c|#key", "invalid tag format: \"key\"");
    refused("test.metric:42|c|Tsoon", "invalid timestamp: soon");
    refused("test.metric:1d|c", "parse metric value string: 1d");
  }

  @Test
  void lines_asUpstreamParsesThem() {
    check("test.metric:42|c|#", "test.metric", 42, false, Type.COUNTER, 0, Map.of(), 0);
    check("test.metric:42|c|#,,,", "test.metric", 42, false, Type.COUNTER, 0, Map.of(), 0);
    check("test.metric:42|c|#,,layer:gateway,component:scoring", "test.metric", 42, false, Type.COUNTER, 0,
        Map.of("layer", "gateway", "component", "scoring"), 0);
    check("test.metric:42|c", "test.metric", 42, false, Type.COUNTER, 0, Map.of(), 0);
    check("test.metric:42|c|@0.1|#key:value", "test.metric", 42, false, Type.COUNTER, 0.1, Map.of("key", "value"), 0);
    check("test.metric:42|c|#key:value|c:abc123", "test.metric", 42, false, Type.COUNTER, 0,
        Map.of("key", "value", "container.id", "abc123"), 0);
    check("test.metric:42|c|T1656581400", "test.metric", 42, false, Type.COUNTER, 0, Map.of(), 1656581400000000000L);
    check("test.metric:42|c|@0.8|#key:value,key2:value2", "test.metric", 42, false, Type.COUNTER, 0.8,
        Map.of("key", "value", "key2", "value2"), 0);
    check("test.metric:42.0|g", "test.metric", 42, false, Type.GAUGE, 0, Map.of(), 0);
    check("test.metric:11|g|@0.1|#key:value", "test.metric", 11, false, Type.GAUGE, 0.1, Map.of("key", "value"), 0);
    check("test.metric:11|g|T1656581400", "test.metric", 11, false, Type.GAUGE, 0, Map.of(), 1656581400000000000L);
    check("test.metric:+42.0|g", "test.metric", 42, true, Type.GAUGE, 0, Map.of(), 0);
    check("test.metric:-42.0|g", "test.metric", -42, true, Type.GAUGE, 0, Map.of(), 0);
    check("test.metric:+42|g", "test.metric", 42, true, Type.GAUGE, 0, Map.of(), 0);
    check("test.metric:-42|ms", "test.metric", -42, true, Type.TIMING, 0, Map.of(), 0);
    check("test.metric:42|h", "test.metric", 42, false, Type.HISTOGRAM, 0, Map.of(), 0);
    // a tag splits at its first colon; a repeated key keeps its last value, as an attribute set does
    check("test.metric:1|c|#k:v:w", "test.metric", 1, false, Type.COUNTER, 0, Map.of("k", "v:w"), 0);
    check("test.metric:1|c|#k:v,k:last", "test.metric", 1, false, Type.COUNTER, 0, Map.of("k", "last"), 0);
  }

  @Test
  void metricTypeAndSimpleTags() {
    check("test.metric:42|c|@0.8|#key:value,key2:value2", true, false, "test.metric", 42, false, Type.COUNTER, 0.8,
        Map.of("key", "value", "key2", "value2", "metric_type", "counter"), 0);
    check("test.metric:42|g", true, false, "test.metric", 42, false, Type.GAUGE, 0, Map.of("metric_type", "gauge"), 0);
    check("test.metric:-42|ms", true, false, "test.metric", -42, true, Type.TIMING, 0, Map.of("metric_type", "timing"),
        0);
    check("test.metric:42|h", true, false, "test.metric", 42, false, Type.HISTOGRAM, 0,
        Map.of("metric_type", "histogram"), 0);
    check("test.metric:42|d", true, false, "test.metric", 42, false, Type.DISTRIBUTION, 0,
        Map.of("metric_type", "distribution"), 0);
    check("test.metric:42|c|@0.1|#key", false, true, "test.metric", 42, false, Type.COUNTER, 0.1, Map.of("key", ""), 0);
    check("test.metric:42|c|@0.1|#key,key2", false, true, "test.metric", 42, false, Type.COUNTER, 0.1,
        Map.of("key", "", "key2", ""), 0);
  }
}
