package dev.kansoku.otlp;

import static dev.kansoku.otlp.OtlpFixtures.id;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Golden files in {@code src/test/resources/otlpjson/} hold what the collector's JSON marshaler
 * writes for the fixtures, plus the newline its file exporter adds. Regenerate them (then review
 * the diff by hand against the collector's rules) with
 * {@code mvn test -pl kansoku-otlp -Dtest=OtlpJsonTest -Dotlpjson.regenerate=true}.
 */
class OtlpJsonTest {
  private static final String SPANS = "resourceSpans[0].scopeSpans[0].spans[0].";

  @Test
  void traces_golden() throws Exception {
    checkGolden("traces.json", Signal.TRACES, OtlpFixtures.traces());
  }

  @Test
  void metrics_golden() throws Exception {
    checkGolden("metrics.json", Signal.METRICS, OtlpFixtures.metrics());
  }

  @Test
  void logs_golden() throws Exception {
    checkGolden("logs.json", Signal.LOGS, OtlpFixtures.logs());
  }

  private static <T extends Message> void checkGolden(String name, Signal<T> signal, T request) throws Exception {
    byte[] line = OtlpJson.write(request);
    byte[] golden = golden(name, line);
    assertThat(new String(line, UTF_8) + "\n").isEqualTo(new String(golden, UTF_8));
    assertThat(OtlpJson.parse(signal, golden)).isEqualTo(request);
    assertThat(OtlpJson.parse(signal, line)).isEqualTo(request);
  }

  private static byte[] golden(String name, byte[] line) throws IOException {
    if (Boolean.getBoolean("otlpjson.regenerate")) {
      Path file = Path.of("src/test/resources/otlpjson", name);
      Files.write(file, (new String(line, UTF_8) + "\n").getBytes(UTF_8));
    }
    try (InputStream in = OtlpJsonTest.class.getResourceAsStream("/otlpjson/" + name)) {
      assertThat(in).as("golden file otlpjson/%s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  /** The trace example of the OTLP specification, as written there: uppercase hex ids, kind as a number. */
  @Test
  void parse_specificationExample() throws Exception {
    String json = """
        {
          "resourceSpans": [
            {
              "resource": {
                "attributes": [
                  { "key": "service.name", "value": { "stringValue": "my.service" } }
                ]
              },
              "scopeSpans": [
                {
                  "scope": {
                    "name": "my.library",
                    "version": "1.0.0",
                    "attributes": [
                      { "key": "my.scope.attribute", "value": { "stringValue": "some scope attribute" } }
                    ]
                  },
                  "spans": [
                    {
                      "traceId": "5B8EFFF798038103D269B633813FC60C",
                      "spanId": "EEE19B7EC3C1B174",
                      "parentSpanId": "EEE19B7EC3C1B173",
                      "name": "I'm a server span",
                      "startTimeUnixNano": "1544712660000000000",
                      "endTimeUnixNano": "1544712661000000000",
                      "kind": 2,
                      "attributes": [
                        { "key": "my.span.attr", "value": { "stringValue": "some value" } }
                      ]
                    }
                  ]
                }
              ]
            }
          ]
        }
        """;
    ExportTraceServiceRequest req = OtlpJson.parse(Signal.TRACES, json.getBytes(UTF_8));

    ResourceSpans rs = req.getResourceSpans(0);
    assertThat(rs.getResource().getAttributes(0)).isEqualTo(OtlpFixtures.attr("service.name", "my.service"));
    ScopeSpans ss = rs.getScopeSpans(0);
    assertThat(ss.getScope().getName()).isEqualTo("my.library");
    assertThat(ss.getScope().getVersion()).isEqualTo("1.0.0");
    assertThat(ss.getScope().getAttributes(0)).isEqualTo(OtlpFixtures.attr("my.scope.attribute", "some scope attribute"));
    Span span = ss.getSpans(0);
    assertThat(span.getTraceId().toByteArray()).containsExactly(
        0x5b, 0x8e, 0xff, 0xf7, 0x98, 0x03, 0x81, 0x03, 0xd2, 0x69, 0xb6, 0x33, 0x81, 0x3f, 0xc6, 0x0c);
    assertThat(span.getSpanId().toByteArray()).containsExactly(0xee, 0xe1, 0x9b, 0x7e, 0xc3, 0xc1, 0xb1, 0x74);
    assertThat(span.getParentSpanId()).isEqualTo(id("eee19b7ec3c1b173"));
    assertThat(span.getName()).isEqualTo("I'm a server span");
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1_544_712_660_000_000_000L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1_544_712_661_000_000_000L);
    assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(span.getAttributes(0)).isEqualTo(OtlpFixtures.attr("my.span.attr", "some value"));
    assertThat(span.hasStatus()).isFalse();

    // Written back the collector's way: lowercase ids, kind after name, times as strings, status {}.
    assertThat(new String(OtlpJson.write(req), UTF_8)).contains(
        "\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\",\"spanId\":\"eee19b7ec3c1b174\","
            + "\"parentSpanId\":\"eee19b7ec3c1b173\",\"name\":\"I'm a server span\",\"kind\":2,"
            + "\"startTimeUnixNano\":\"1544712660000000000\",\"endTimeUnixNano\":\"1544712661000000000\","
            + "\"attributes\":[{\"key\":\"my.span.attr\",\"value\":{\"stringValue\":\"some value\"}}],\"status\":{}}]");
  }

  /** Proto field names, enum names, 64-bit numbers as JSON numbers, and unknown fields at every level. */
  @Test
  void parse_lenientForms() throws Exception {
    String json = """
        {"resource_spans":[{"future":{"a":[1,{"b":null}]},"scope_spans":[{"spans":[{
          "trace_id":"5b8efff798038103d269b633813fc60c","span_id":"EEE19B7EC3C1B174","parent_span_id":"",
          "name":"x","kind":"SPAN_KIND_CLIENT","start_time_unix_nano":1544712660000000000,
          "end_time_unix_nano":"1.544712661e18","dropped_attributes_count":"3","droppedEventsCount":2.0,
          "status":{"code":"STATUS_CODE_ERROR","details":"ignored"},"trace_state":null,"newField":[1,2,3]
        }]}]}],"extra":true}
        """;
    Span span = OtlpJson.parse(Signal.TRACES, json.getBytes(UTF_8)).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span).isEqualTo(Span.newBuilder()
        .setTraceId(id(OtlpFixtures.TRACE_ID))
        .setSpanId(id(OtlpFixtures.SERVER_SPAN_ID))
        .setName("x")
        .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
        .setStartTimeUnixNano(1_544_712_660_000_000_000L)
        .setEndTimeUnixNano(1_544_712_661_000_000_000L)
        .setDroppedAttributesCount(3)
        .setDroppedEventsCount(2)
        .setStatus(io.opentelemetry.proto.trace.v1.Status.newBuilder()
            .setCode(io.opentelemetry.proto.trace.v1.Status.StatusCode.STATUS_CODE_ERROR))
        .build());
  }

  @Test
  void parse_unsigned64AboveLongMax() throws Exception {
    String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"startTimeUnixNano\":\"18446744073709551615\","
        + "\"endTimeUnixNano\":18446744073709551614}]}]}]}";
    Span span = OtlpJson.parse(Signal.TRACES, json.getBytes(UTF_8)).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(-1L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(-2L);
    assertThat(new String(OtlpJson.write(span), UTF_8))
        .isEqualTo("{\"startTimeUnixNano\":\"18446744073709551615\",\"endTimeUnixNano\":\"18446744073709551614\","
            + "\"status\":{}}");
  }

  @Test
  void parse_emptyIdsWhereTheProtoAllowsThem() throws Exception {
    String logs = "{\"resourceLogs\":[{\"scopeLogs\":[{\"logRecords\":[{\"traceId\":\"\",\"spanId\":\"\","
        + "\"body\":{\"stringValue\":\"no trace\"}}]}]}]}";
    LogRecord record = OtlpJson.parse(Signal.LOGS, logs.getBytes(UTF_8))
        .getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(record.getTraceId()).isEqualTo(ByteString.EMPTY);
    assertThat(record.getSpanId()).isEqualTo(ByteString.EMPTY);
    assertThat(record.getBody().getStringValue()).isEqualTo("no trace");
  }

  // Bad inputs: the message names the field, the value and what was expected.

  @Test
  void parse_truncated() {
    byte[] full = OtlpJson.write(OtlpFixtures.traces());
    byte[] truncated = new String(full, UTF_8).substring(0, 300).getBytes(UTF_8);
    checkInvalid(Signal.TRACES, new String(truncated, UTF_8),
        "resourceSpans[0].resource.attributes[4].key: JSON ends early at line 1, column 301 "
            + "(expected: the rest of the document; was the body truncated?)");
  }

  @Test
  void parse_base64TraceId() {
    checkInvalid(Signal.TRACES, spanJson("\"traceId\":\"W47/95gDgQPSabYzgT/GDA==\""),
        SPANS + "traceId: \"W47/95gDgQPSabYzgT/GDA==\" is not 32 hex digits (OTLP/JSON writes ids in hex, not base64)");
  }

  @Test
  void parse_traceIdOf31HexDigits() {
    checkInvalid(Signal.TRACES, spanJson("\"traceId\":\"5b8efff798038103d269b633813fc60\""),
        SPANS + "traceId: \"5b8efff798038103d269b633813fc60\" is not 32 hex digits");
  }

  @Test
  void parse_spanIdNotHex() {
    checkInvalid(Signal.TRACES, spanJson("\"spanId\":\"eee19b7ec3c1b17g\""),
        SPANS + "spanId: \"eee19b7ec3c1b17g\" is not 16 hex digits");
  }

  @Test
  void parse_emptyTraceIdOfSpan() {
    checkInvalid(Signal.TRACES, spanJson("\"traceId\":\"\""), SPANS + "traceId: \"\" is empty (expected: 32 hex digits)");
  }

  @Test
  void parse_linkSpanIdTooLong() {
    checkInvalid(Signal.TRACES, spanJson("\"links\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
            + "\"span_id\":\"eee19b7ec3c1b17400\"}]"),
        SPANS + "links[0].span_id: \"eee19b7ec3c1b17400\" is not 16 hex digits");
  }

  @Test
  void parse_exemplarTraceIdNumber() {
    checkInvalid(Signal.METRICS, "{\"resourceMetrics\":[{\"scopeMetrics\":[{\"metrics\":[{\"gauge\":{\"dataPoints\":"
            + "[{\"exemplars\":[{\"traceId\":12}]}]}}]}]}]}",
        "resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0].exemplars[0].traceId: 12 "
            + "(expected: 32 hex digits)");
  }

  @Test
  void parse_rootNotAnObject() {
    checkInvalid(Signal.TRACES, "[{\"resourceSpans\":[]}]",
        "request body: a list (expected: a JSON object such as {\"resourceSpans\":[...]})");
    checkInvalid(Signal.LOGS, "\"hello\"",
        "request body: \"hello\" (expected: a JSON object such as {\"resourceLogs\":[...]})");
    checkInvalid(Signal.LOGS, "", "request body: empty (expected: a JSON object)");
  }

  @Test
  void parse_stringWhereObjectExpected() {
    checkInvalid(Signal.TRACES, "{\"resourceSpans\":[{\"resource\":\"dice-server\"}]}",
        "resourceSpans[0].resource: \"dice-server\" (expected: an object)");
  }

  @Test
  void parse_objectWhereListExpected() {
    checkInvalid(Signal.TRACES, "{\"resourceSpans\":{\"scopeSpans\":[]}}",
        "resourceSpans: an object (expected: a list)");
  }

  @Test
  void parse_notJson() {
    checkInvalid(Signal.TRACES, "{\"resourceSpans\":[{'scopeSpans':[]}]}",
        "resourceSpans[0]: invalid JSON at line 1, column 20: Unexpected character (''' (code 39)): "
            + "was expecting double-quote to start field name");
  }

  @Test
  void parse_trailingData() {
    checkInvalid(Signal.TRACES, "{} {}",
        "request body: more data after the end of the JSON object at line 1, column 4 (expected: one JSON object)");
  }

  @Test
  void parse_badNumbers() {
    checkInvalid(Signal.TRACES, spanJson("\"startTimeUnixNano\":\"soon\""),
        SPANS + "startTimeUnixNano: \"soon\" (expected: an integer from 0 to 18446744073709551615, as a number or a string)");
    checkInvalid(Signal.TRACES, spanJson("\"startTimeUnixNano\":-1"),
        SPANS + "startTimeUnixNano: -1 is out of range (expected: an integer from 0 to 18446744073709551615, "
            + "as a number or a string)");
    checkInvalid(Signal.TRACES, spanJson("\"droppedAttributesCount\":4294967296"),
        SPANS + "droppedAttributesCount: 4294967296 is out of range (expected: an integer from 0 to 4294967295)");
    checkInvalid(Signal.TRACES, spanJson("\"flags\":1.5"),
        SPANS + "flags: 1.5 (expected: an integer from 0 to 4294967295)");
    checkInvalid(Signal.TRACES, spanJson("\"kind\":\"SERVER\""),
        SPANS + "kind: \"SERVER\" (expected: a SpanKind number or one of [SPAN_KIND_UNSPECIFIED, SPAN_KIND_INTERNAL, "
            + "SPAN_KIND_SERVER, SPAN_KIND_CLIENT, SPAN_KIND_PRODUCER, SPAN_KIND_CONSUMER])");
    checkInvalid(Signal.TRACES, spanJson("\"name\":42"), SPANS + "name: 42 (expected: a string)");
  }

  @Test
  void parse_twoValuesOfOneOneof() {
    checkInvalid(Signal.TRACES, spanJson("\"attributes\":[{\"key\":\"k\",\"value\":{\"stringValue\":\"a\",\"intValue\":\"1\"}}]"),
        SPANS + "attributes[0].value.intValue: cannot be set together with \"stringValue\" (expected: one field of value)");
  }

  @Test
  void parse_nullInList() {
    checkInvalid(Signal.TRACES, "{\"resourceSpans\":[null]}", "resourceSpans[0]: null (expected: an object)");
  }

  private static String spanJson(String spanFields) {
    return "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8efff798038103d269b633813fc60c\","
        + "\"spanId\":\"eee19b7ec3c1b174\"," + spanFields + "}]}]}]}";
  }

  private static void checkInvalid(Signal<? extends Message> signal, String json, String message) {
    assertThatThrownBy(() -> OtlpJson.parse(signal, json.getBytes(UTF_8)))
        .isInstanceOf(InvalidOtlpException.class)
        .hasMessage(message);
  }

  // The writer's number and string forms, checked one case per line against what Go writes.

  @Test
  void write_doubles() {
    checkDouble(3.0, "3");
    checkDouble(-2.5, "-2.5");
    checkDouble(0.1 + 0.2, "0.30000000000000004");
    checkDouble(1e-6, "0.000001");
    checkDouble(9.99e-7, "9.99e-07");
    checkDouble(1e-7, "1e-07");
    checkDouble(5e-324, "5e-324");
    checkDouble(1e20, "100000000000000000000");
    checkDouble(1e21, "1e+21");
    checkDouble(-1.5e300, "-1.5e+300");
    checkDouble(2e23, "2e+23");
    checkDouble(123456789.125, "123456789.125");
    checkDouble(Double.MAX_VALUE, "1.7976931348623157e+308");
    checkDouble(0.0, "0");
    checkDouble(-0.0, "-0");
    checkDouble(Double.NaN, "\"NaN\"");
    checkDouble(Double.POSITIVE_INFINITY, "\"Infinity\"");
    checkDouble(Double.NEGATIVE_INFINITY, "\"-Infinity\"");
  }

  private static void checkDouble(double value, String expected) {
    NumberDataPoint point = NumberDataPoint.newBuilder().setAsDouble(value).build();
    assertThat(new String(OtlpJson.write(point), UTF_8)).as("%s", value).isEqualTo("{\"asDouble\":" + expected + "}");
  }

  @Test
  void write_doublesRoundTrip() throws Exception {
    double[] values = {0.1, 1.0 / 3, Math.PI, 1e-300, 4.35, 2.82879384806159e17, 1.0E23, 5e-324, Double.MIN_NORMAL,
        9007199254740993.0, 0.0037500000000000003, Double.NaN, -0.0};
    for (double v : values) {
      ExportMetricsServiceRequest req = gauge(v);
      assertThat(OtlpJson.parse(Signal.METRICS, OtlpJson.write(req))).as("%s", v).isEqualTo(req);
    }
  }

  private static ExportMetricsServiceRequest gauge(double v) {
    // resource and scope set: the writer always writes them, so only then does the round trip compare equal.
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(io.opentelemetry.proto.resource.v1.Resource.getDefaultInstance())
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(io.opentelemetry.proto.common.v1.InstrumentationScope
            .getDefaultInstance()).addMetrics(Metric.newBuilder().setName("g")
            .setGauge(Gauge.newBuilder().addDataPoints(NumberDataPoint.newBuilder().setAsDouble(v))))))
        .build();
  }

  @Test
  void write_strings() {
    checkString("plain", "\"plain\"");
    checkString("quote \" backslash \\ slash /", "\"quote \\\" backslash \\\\ slash /\"");
    checkString("tab\tnewline\ncr\r", "\"tab\\tnewline\\ncr\\r\"");
    checkString("bell\u0007 nul\u0000 esc\u001b", "\"bell\\u0007 nul\\u0000 esc\\u001b\"");
    checkString("<html> & \u2028 é 🎲", "\"<html> & \u2028 é 🎲\"");
  }

  private static void checkString(String value, String expected) {
    AnyValue v = AnyValue.newBuilder().setStringValue(value).build();
    assertThat(new String(OtlpJson.write(v), UTF_8)).isEqualTo("{\"stringValue\":" + expected + "}");
  }

  @Test
  void write_oneofDefaultsAreWritten() {
    assertThat(new String(OtlpJson.write(KeyValue.newBuilder().setKey("k")
        .setValue(AnyValue.newBuilder().setIntValue(0)).build()), UTF_8))
        .isEqualTo("{\"key\":\"k\",\"value\":{\"intValue\":\"0\"}}");
    assertThat(new String(OtlpJson.write(KeyValue.newBuilder().setKey("k").build()), UTF_8))
        .isEqualTo("{\"key\":\"k\",\"value\":{}}");
    assertThat(new String(OtlpJson.write(AnyValue.newBuilder().setStringValue("").build()), UTF_8))
        .isEqualTo("{\"stringValue\":\"\"}");
  }

  @Test
  void write_unknownEnumNumberKept() throws Exception {
    Span span = Span.newBuilder().setKindValue(9).build();
    assertThat(new String(OtlpJson.write(span), UTF_8)).isEqualTo("{\"kind\":9,\"status\":{}}");
    assertThat(OtlpJson.parse(Span.class, OtlpJson.write(span))).isEqualTo(span.toBuilder()
        .setStatus(io.opentelemetry.proto.trace.v1.Status.getDefaultInstance()).build());
  }

  /** A 1 MB request must decode in milliseconds; the figure is printed for the report. */
  @Test
  void parse_oneMegabyteIsFast() throws Exception {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    ScopeSpans.Builder scope = ScopeSpans.newBuilder().setScope(
        io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder().setName("load"));
    ExportTraceServiceRequest one = OtlpFixtures.traces();
    Span template = one.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    for (int i = 0; i < 1600; i++) {
      scope.addSpans(template.toBuilder().setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, (byte) (i >> 8),
          (byte) i})).setName("GET /rolldice " + i));
    }
    ExportTraceServiceRequest req = b.addResourceSpans(one.getResourceSpans(0).toBuilder().clearScopeSpans()
        .addScopeSpans(scope)).build();
    byte[] json = OtlpJson.write(req);
    assertThat(json.length).isGreaterThan(1_000_000);

    assertThat(OtlpJson.parse(Signal.TRACES, json)).isEqualTo(req);
    for (int i = 0; i < 50; i++) { // warm up the JIT
      OtlpJson.parse(Signal.TRACES, json);
    }
    int runs = 20;
    long start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      OtlpJson.parse(Signal.TRACES, json);
    }
    double parseMs = (System.nanoTime() - start) / 1e6 / runs;
    start = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      OtlpJson.write(req);
    }
    double writeMs = (System.nanoTime() - start) / 1e6 / runs;
    System.out.printf("OtlpJson: %d bytes, %d spans: parse %.1f ms, write %.1f ms%n", json.length, 1600, parseMs,
        writeMs);
    // Generous bound for a loaded 2-core CI machine; the point is milliseconds, not seconds.
    assertThat(parseMs).isLessThan(500);
  }
}
