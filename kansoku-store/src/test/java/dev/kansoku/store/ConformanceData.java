package dev.kansoku.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.StatusCode;
import dev.kansoku.model.TraceId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The conformance fixtures and query cases, read from {@code conformance/*.json} on the class path
 * (shipped in this module's test-jar). Times in the files are milliseconds from {@link #T0}. Loaded
 * once; immutable after loading, so shared by all tests.
 */
public final class ConformanceData {
  /** 2023-11-15T00:50:13Z: the epoch seconds in the seed's X-Ray trace id 1-655415c5-…. */
  public static final long T0_MILLIS = 0x655415c5L * 1000;

  static final ObjectMapper JSON = new ObjectMapper();

  /** A case: its area, caption, query and expected answer as JSON. */
  public record Case(String area, String caption, JsonNode query, JsonNode expected) {
    @Override
    public String toString() {
      return area + ": " + caption;
    }
  }

  final Map<String, List<SpanRecord>> traces = new LinkedHashMap<>();
  final Map<TraceId, String> traceNames = new LinkedHashMap<>();
  final Map<String, LogRecord> logs = new LinkedHashMap<>();
  final List<MetricPoint> points = new ArrayList<>();
  final List<Case> cases = new ArrayList<>();

  static final ConformanceData INSTANCE = load();

  static ConformanceData load() {
    ConformanceData d = new ConformanceData();
    for (JsonNode t : read("traces.json").get("traces")) {
      TraceId traceId = TraceId.parse(t.get("traceId").asText());
      List<SpanRecord> spans = new ArrayList<>();
      for (JsonNode s : t.get("spans")) {
        spans.add(SpanRecord.builder()
            .traceId(traceId)
            .spanId(SpanId.parse(s.get("span").asText()))
            .parentSpanId(s.hasNonNull("parent") ? SpanId.parse(s.get("parent").asText()) : null)
            .serviceName(s.get("service").asText())
            .name(s.get("name").asText())
            .kind(SpanKind.valueOf(s.get("kind").asText()))
            .startNanos(nanos(s.get("at").asLong()))
            .endNanos(nanos(s.get("at").asLong() + s.get("ms").asLong()))
            .status(StatusCode.valueOf(s.path("status").asText("UNSET")), s.path("statusMessage").asText(""))
            .attributes(attributes(s.get("attributes")))
            .resourceAttributes(Map.of("service.name", s.get("service").asText()))
            .scope("io.opentelemetry.tomcat-10.0", "1.31.0-alpha")
            .build());
      }
      d.traces.put(t.get("id").asText(), List.copyOf(spans));
      d.traceNames.put(traceId, t.get("id").asText());
    }
    for (JsonNode l : read("logs.json").get("logs")) {
      String id = l.get("id").asText();
      Map<String, Object> attrs = new TreeMap<>(attributes(l.get("attributes")));
      attrs.put("fixture", id);
      String group = l.get("group").asText();
      d.logs.put(id, LogRecord.builder()
          .timeNanos(nanos(l.get("at").asLong()))
          .logGroup(group)
          .logStream(l.get("stream").asText())
          .serviceName(l.path("service").asText(group))
          .severity(l.path("severity").asText(""), severityNumber(l.path("severity").asText("")))
          .body(l.get("body").asText())
          .attributes(attrs)
          .traceId(l.hasNonNull("traceId") ? TraceId.parse(l.get("traceId").asText()) : null)
          .spanId(l.hasNonNull("spanId") ? SpanId.parse(l.get("spanId").asText()) : null)
          .build());
    }
    for (JsonNode p : read("metrics.json").get("points")) {
      Map<String, String> dims = new TreeMap<>();
      p.path("dimensions").properties().forEach(e -> dims.put(e.getKey(), e.getValue().asText()));
      MetricKind kind = MetricKind.valueOf(p.get("kind").asText());
      long at = nanos(p.get("at").asLong());
      String ns = p.get("namespace").asText();
      String name = p.get("name").asText();
      String unit = p.path("unit").asText("");
      if (kind == MetricKind.HISTOGRAM) {
        List<Double> bounds = new ArrayList<>();
        p.get("bounds").forEach(b -> bounds.add(b.asDouble()));
        List<Long> counts = new ArrayList<>();
        p.get("counts").forEach(c -> counts.add(c.asLong()));
        d.points.add(MetricPoint.histogram(ns, name, unit, dims, at, p.get("count").asLong(), p.get("sum").asDouble(),
            p.path("min").asDouble(Double.NaN), p.path("max").asDouble(Double.NaN), bounds, counts));
      } else {
        d.points.add(MetricPoint.value(ns, name, unit, dims, at, kind, p.get("value").asDouble()));
      }
    }
    for (JsonNode c : read("cases.json").get("cases")) {
      d.cases.add(new Case(c.get("area").asText(), c.get("caption").asText(), c.get("query"), c.get("expected")));
    }
    return d;
  }

  /** T0 plus {@code millis}, in epoch nanoseconds. */
  public static long nanos(long millis) {
    return (T0_MILLIS + millis) * 1_000_000L;
  }

  List<Case> cases(String area) {
    List<Case> out = cases.stream().filter(c -> c.area().equals(area)).toList();
    if (out.isEmpty()) {
      throw new IllegalStateException("no cases for area " + area);
    }
    return out;
  }

  List<SpanRecord> allSpans() {
    return traces.values().stream().flatMap(List::stream).toList();
  }

  private static int severityNumber(String text) {
    return switch (text) {
      case "INFO" -> 9;
      case "WARN" -> 13;
      case "ERROR" -> 17;
      default -> 0;
    };
  }

  static Map<String, Object> attributes(JsonNode node) {
    Map<String, Object> out = new TreeMap<>();
    if (node == null) {
      return out;
    }
    node.properties().forEach(e -> out.put(e.getKey(), value(e.getValue())));
    return out;
  }

  static Object value(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    return v.asText();
  }

  private static JsonNode read(String file) {
    String path = "/conformance/" + file;
    try (InputStream in = ConformanceData.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(path + ": not on the class path (is the kansoku-store test-jar a dependency?)");
      }
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
  }
}
