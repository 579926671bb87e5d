package dev.kansoku.aws.emf;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.pipeline.config.ConfigBinder;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Byte-level comparison for a JVM metrics batch (the Java agent's runtime metrics): the EMF message
 * strings must equal, byte for byte, what contrib v0.156.0's awsemfexporter (vendored in ADOT v0.49.0)
 * writes. The expected strings were derived by hand from that version's code, not produced by running
 * it: metric_translator.go translateGroupedMetricToCWMetric/translateCWMetricToEMF (one json.Marshal of a
 * map: every key sorted, the structs' fields in declaration order, float64 in strconv 'f' form below
 * 1e21), grouped_metric.go translateUnit (By → Bytes, s → Seconds, 1 → no unit, {thread} kept) and
 * metric_declaration.go (declared dimension sets sorted and kept in declared order).
 *
 * <p>The metric declarations and one metric per event keep the Go output deterministic. What Go leaves
 * to map iteration order cannot be pinned and is not compared: the order of the events of a batch,
 * the order of the label names in the all-labels dimension set without declarations, of the single
 * rollup sets, and of the metrics of an event with several (Kansoku sorts the names and keeps
 * arrival order; see RATIONALE.md).
 */
class EmfJvmBytesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCOPE = "io.opentelemetry.runtime-telemetry-java17";
  private static final String CONFIG = """
      {"dimension_rollup_option": "NoDimensionRollup", "retain_initial_value_of_delta_metric": true,
       "metric_declarations": [
         {"dimensions": [["jvm.memory.type", "OTelLib", "jvm.memory.pool.name"], ["OTelLib", "jvm.memory.type"]],
          "metric_name_selectors": ["^jvm\\\\.memory\\\\."]},
         {"dimensions": [["OTelLib", "jvm.gc.name"]], "metric_name_selectors": ["^jvm\\\\.gc\\\\."]},
         {"dimensions": [["OTelLib"]], "metric_name_selectors": ["^jvm\\\\.thread\\\\.", "^process\\\\."]}]}
      """;

  private static String batch(long edenBytes, long threads) {
    return """
        {"resourceMetrics": [{"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "dice-server"}}]},
          "scopeMetrics": [{"scope": {"name": "%s"}, "metrics": [
            {"name": "jvm.memory.used", "unit": "By", "sum": {"aggregationTemporality": 2, "dataPoints": [
              {"timeUnixNano": "1764633600000000000", "asInt": "%d", "attributes": [
                {"key": "jvm.memory.pool.name", "value": {"stringValue": "G1 Eden Space"}},
                {"key": "jvm.memory.type", "value": {"stringValue": "heap"}}]},
              {"timeUnixNano": "1764633600000000000", "asInt": "12345678", "attributes": [
                {"key": "jvm.memory.pool.name", "value": {"stringValue": "Metaspace"}},
                {"key": "jvm.memory.type", "value": {"stringValue": "non_heap"}}]}]}},
            {"name": "jvm.gc.duration", "unit": "s", "histogram": {"aggregationTemporality": 1, "dataPoints": [
              {"timeUnixNano": "1764633600000000000", "count": "3", "sum": 0.012, "min": 0.002, "max": 0.006,
               "bucketCounts": ["3", "0"], "explicitBounds": [0.01], "attributes": [
                {"key": "jvm.gc.action", "value": {"stringValue": "end of minor GC"}},
                {"key": "jvm.gc.name", "value": {"stringValue": "G1 Young Generation"}}]}]}},
            {"name": "jvm.thread.count", "unit": "{thread}", "sum": {"aggregationTemporality": 2, "dataPoints": [
              {"timeUnixNano": "1764633600000000000", "asInt": "%d", "attributes": [
                {"key": "jvm.thread.daemon", "value": {"boolValue": true}},
                {"key": "jvm.thread.state", "value": {"stringValue": "runnable"}}]}]}},
            {"name": "process.cpu.utilization", "unit": "1", "gauge": {"dataPoints": [
              {"timeUnixNano": "1764633600000000000", "asDouble": 0.015625}]}}]}]}]}
        """.formatted(SCOPE, edenBytes, threads);
  }

  private static String aws(String dimensions, String metric, String unit) {
    return "\"Version\":\"1\",\"_aws\":{\"CloudWatchMetrics\":[{\"Namespace\":\"dice-server\",\"Dimensions\":"
        + dimensions + ",\"Metrics\":[{\"Name\":\"" + metric + "\",\"Unit\":\"" + unit
        + "\",\"StorageResolution\":60}]}],\"Timestamp\":1764633600000}";
  }

  private static final String OTEL = "{\"OTelLib\":\"" + SCOPE + "\",";
  private static final String MEMORY_DIMS = "[[\"OTelLib\",\"jvm.memory.pool.name\",\"jvm.memory.type\"],"
      + "[\"OTelLib\",\"jvm.memory.type\"]]";

  private static String eden(long value) {
    return OTEL + aws(MEMORY_DIMS, "jvm.memory.used", "Bytes")
        + ",\"jvm.memory.pool.name\":\"G1 Eden Space\",\"jvm.memory.type\":\"heap\",\"jvm.memory.used\":" + value + "}";
  }

  private static String metaspace(long value) {
    return OTEL + aws(MEMORY_DIMS, "jvm.memory.used", "Bytes")
        + ",\"jvm.memory.pool.name\":\"Metaspace\",\"jvm.memory.type\":\"non_heap\",\"jvm.memory.used\":" + value + "}";
  }

  private static final String GC = OTEL + aws("[[\"OTelLib\",\"jvm.gc.name\"]]", "jvm.gc.duration", "Seconds")
      + ",\"jvm.gc.action\":\"end of minor GC\",\"jvm.gc.duration\":{\"Max\":0.006,\"Min\":0.002,\"Count\":3,"
      + "\"Sum\":0.012},\"jvm.gc.name\":\"G1 Young Generation\"}";

  private static String threads(long value) {
    return OTEL + aws("[[\"OTelLib\"]]", "jvm.thread.count", "{thread}")
        + ",\"jvm.thread.count\":" + value + ",\"jvm.thread.daemon\":\"true\",\"jvm.thread.state\":\"runnable\"}";
  }

  private static final String CPU = OTEL + aws("[[\"OTelLib\"]]", "process.cpu.utilization", "")
      + ",\"process.cpu.utilization\":0.015625}";

  @Test
  void jvmBatch_messagesEqualTheReferenceBytes_firstExportAndDeltas() throws Exception {
    AwsEmfExporterConfig config = ConfigBinder.bind(JSON.readTree(CONFIG), new AwsEmfExporterConfig(),
        "exporters::awsemf");
    EmfTranslator translator = new EmfTranslator(config, Clock.fixed(Instant.ofEpochMilli(1764633600000L),
        ZoneOffset.UTC), "otel-stream-test");

    List<String> first = translator.translate(OtlpJsonMetrics.read(JSON.readTree(batch(25_165_824, 11))));
    // retain_initial_value_of_delta_metric: the first cumulative values are sent as they are.
    assertThat(first).containsExactlyInAnyOrder(eden(25_165_824), metaspace(12_345_678), GC, threads(11), CPU);

    List<String> second = translator.translate(OtlpJsonMetrics.read(JSON.readTree(batch(26_214_400, 12))));
    // Cumulative sums become deltas (an unchanged pool gives 0); the histogram and the gauge stay as they are.
    assertThat(second).containsExactlyInAnyOrder(eden(1_048_576), metaspace(0), GC, threads(1), CPU);
  }
}
