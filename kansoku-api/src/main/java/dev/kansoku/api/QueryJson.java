package dev.kansoku.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanEvent;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanLink;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.MetricSeries;
import dev.kansoku.store.RedQuery;
import dev.kansoku.store.RedSeries;
import dev.kansoku.store.ServiceGraph;
import dev.kansoku.store.Statistic;
import dev.kansoku.store.Trace;
import dev.kansoku.store.TraceSummary;
import java.util.List;
import java.util.Map;

/**
 * The native API's JSON shapes. Nanosecond times are strings (a JavaScript number cannot hold 19
 * digits); ids are lower-case hex, with the X-Ray form of trace ids beside it.
 */
final class QueryJson {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private QueryJson() {}

  /**
   * A trace; each span's {@code service} is the one the trace gives it ({@link Trace#services()}: a
   * subsegment is its segment's), its own {@code service.name} stays in {@code resource}.
   */
  static ObjectNode trace(Trace t) {
    ObjectNode o = MAPPER.createObjectNode().put("traceId", t.traceId().hex()).put("xrayTraceId", t.traceId().xray());
    ArrayNode spans = o.putArray("spans");
    Map<SpanId, String> services = t.services();
    t.spans().forEach(s -> spans.add(span(s, services.get(s.spanId()))));
    return o;
  }

  private static ObjectNode span(SpanRecord s, String service) {
    ObjectNode o = MAPPER.createObjectNode()
        .put("traceId", s.traceId().hex())
        .put("spanId", s.spanId().hex())
        .put("parentSpanId", s.parentSpanId() == null ? null : s.parentSpanId().hex())
        .put("service", service)
        .put("name", s.name())
        .put("kind", s.kind().name())
        .put("startTimeUnixNano", Long.toString(s.startNanos()))
        .put("endTimeUnixNano", Long.toString(s.endNanos()))
        .put("durationMs", (s.endNanos() - s.startNanos()) / 1e6)
        .put("status", s.statusCode().name())
        .put("statusMessage", s.statusMessage())
        .put("fault", s.isFault())
        .put("error", s.isError())
        .put("throttle", s.isThrottle());
    if (s.httpMethod() != null || s.httpStatus() != 0) {
      o.putObject("http").put("method", s.httpMethod()).put("status", s.httpStatus()).put("url", s.httpUrl())
          .put("route", s.httpRoute());
    }
    o.set("attributes", attributes(s.attributes()));
    o.set("resource", attributes(s.resourceAttributes()));
    ArrayNode events = o.putArray("events");
    for (SpanEvent e : s.events()) {
      events.addObject().put("name", e.name()).put("timeUnixNano", Long.toString(e.timeNanos()))
          .set("attributes", attributes(e.attributes()));
    }
    ArrayNode links = o.putArray("links");
    for (SpanLink l : s.links()) {
      links.addObject().put("traceId", l.traceId().hex()).put("spanId", l.spanId().hex());
    }
    o.putObject("scope").put("name", s.scopeName()).put("version", s.scopeVersion());
    return o;
  }

  static ObjectNode summary(TraceSummary t) {
    ObjectNode o = MAPPER.createObjectNode()
        .put("traceId", t.traceId().hex())
        .put("xrayTraceId", t.traceId().xray())
        .put("rootService", t.rootServiceName())
        .put("rootName", t.rootSpanName())
        .put("startTimeUnixNano", Long.toString(t.startNanos()))
        .put("durationMs", t.durationNanos() / 1e6)
        .put("spanCount", t.spanCount())
        .put("error", t.error())
        .put("fault", t.fault())
        .put("throttle", t.throttle())
        .put("httpMethod", t.httpMethod())
        .put("httpStatus", t.httpStatus())
        .put("httpUrl", t.httpUrl());
    ArrayNode services = o.putArray("services");
    t.services().forEach(services::add);
    return o;
  }

  static ObjectNode log(LogEntry e) {
    LogRecord r = e.record();
    ObjectNode o = MAPPER.createObjectNode()
        .put("id", e.id())
        .put("timeUnixNano", Long.toString(r.timeNanos()))
        .put("logGroup", r.logGroup())
        .put("logStream", r.logStream())
        .put("service", r.serviceName())
        .put("severity", r.severityText())
        .put("body", r.body())
        .put("traceId", r.traceId() == null ? null : r.traceId().hex())
        .put("xrayTraceId", r.traceId() == null ? null : r.traceId().xray())
        .put("spanId", r.spanId() == null ? null : r.spanId().hex());
    o.set("attributes", attributes(r.attributes()));
    return o;
  }

  static ObjectNode series(MetricSeries s) {
    ObjectNode o = MAPPER.createObjectNode().put("namespace", s.namespace()).put("name", s.name())
        .put("unit", s.unit());
    ObjectNode dims = o.putObject("dimensions");
    s.dimensions().forEach(dims::put);
    ArrayNode times = o.putArray("timestamps");
    s.timestamps().forEach(t -> times.add(Long.toString(t)));
    ObjectNode values = o.putObject("values");
    for (Map.Entry<Statistic, List<Double>> e : s.values().entrySet()) {
      ArrayNode v = values.putArray(e.getKey().toString());
      e.getValue().forEach(v::add);
    }
    return o;
  }

  /**
   * RED series as columns: {@code timestampsMs} (every period of the window), and per series
   * {@code requestsPerSecond}, {@code errors}, {@code faults}, {@code throttles} (0 in an empty
   * period) and {@code averageMs}, {@code p50Ms}, {@code p90Ms}, {@code p99Ms} (null in an empty period).
   */
  static ObjectNode red(RedQuery q, List<RedSeries> series) {
    long period = q.periodNanos();
    long first = q.bucketOf(q.startNanos());
    int n = (int) Math.max(0, (q.endNanos() - first + period - 1) / period);
    ObjectNode o = MAPPER.createObjectNode().put("periodSeconds", period / 1_000_000_000L);
    ArrayNode times = o.putArray("timestampsMs");
    for (int i = 0; i < n; i++) {
      times.add((first + i * period) / 1_000_000);
    }
    ArrayNode out = o.putArray("services");
    for (RedSeries s : series) {
      ObjectNode so = out.addObject().put("service", s.service());
      if (s.operation() != null) {
        so.put("operation", s.operation());
      }
      RedSeries.Point[] at = new RedSeries.Point[n];
      for (RedSeries.Point p : s.points()) {
        int i = (int) ((p.timeNanos() - first) / period);
        if (i >= 0 && i < n) {
          at[i] = p;
        }
      }
      ArrayNode rate = so.putArray("requestsPerSecond");
      ArrayNode errors = so.putArray("errors");
      ArrayNode faults = so.putArray("faults");
      ArrayNode throttles = so.putArray("throttles");
      ArrayNode avg = so.putArray("averageMs");
      ArrayNode p50 = so.putArray("p50Ms");
      ArrayNode p90 = so.putArray("p90Ms");
      ArrayNode p99 = so.putArray("p99Ms");
      for (RedSeries.Point p : at) {
        rate.add(p == null ? 0 : p.requests() * 1e9 / period);
        errors.add(p == null ? 0 : p.errors());
        faults.add(p == null ? 0 : p.faults());
        throttles.add(p == null ? 0 : p.throttles());
        for (ArrayNode a : new ArrayNode[] {avg, p50, p90, p99}) {
          if (p == null) {
            a.addNull();
          }
        }
        if (p != null) {
          avg.add(round(p.averageMillis()));
          p50.add(round(p.p50Nanos() / 1e6));
          p90.add(round(p.p90Nanos() / 1e6));
          p99.add(round(p.p99Nanos() / 1e6));
        }
      }
    }
    return o;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static ObjectNode graph(ServiceGraph g) {
    ObjectNode o = MAPPER.createObjectNode().put("startTimeUnixNano", Long.toString(g.startNanos()))
        .put("endTimeUnixNano", Long.toString(g.endNanos()));
    ArrayNode nodes = o.putArray("nodes");
    g.nodes().forEach(n -> stats(nodes.addObject().put("name", n.name()).put("remote", n.remote())
        .put("type", n.type()), n.stats()));
    ArrayNode edges = o.putArray("edges");
    g.edges().forEach(e -> stats(edges.addObject().put("from", e.from()).put("to", e.to()).put("remote", e.remote()),
        e.stats()));
    return o;
  }

  private static void stats(ObjectNode o, ServiceGraph.RequestStats s) {
    o.put("requests", s.requests()).put("errors", s.errors()).put("faults", s.faults())
        .put("throttles", s.throttles()).put("averageMs", s.averageMillis());
  }

  static ObjectNode names(String key, List<String> names) {
    ObjectNode o = MAPPER.createObjectNode();
    ArrayNode a = o.putArray(key);
    names.forEach(a::add);
    return o;
  }

  private static ObjectNode attributes(Map<String, Object> attrs) {
    ObjectNode o = MAPPER.createObjectNode();
    attrs.forEach((k, v) -> o.set(k, MAPPER.valueToTree(v)));
    return o;
  }
}
