package dev.kansoku.store.embedded;

import dev.kansoku.model.AttributeMap;
import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.Quantile;
import dev.kansoku.model.SpanEvent;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanLink;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.StatusCode;
import dev.kansoku.model.TraceId;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Row-oriented binary encoding of the model records, used by the write-ahead log (where a record is
 * written once and read only on replay, so encoding speed beats density) and by metric blocks.
 * Hand-written rather than protobuf: the model is flat, the four attribute value types are known,
 * and no schema evolution across processes is needed — the files are this engine's own, versioned
 * by their magic. Decoding goes through the records' canonical constructors with the values they
 * held, so derived fields (HTTP facts, correlated trace ids) come back identical.
 *
 * <p>Stateless, thread-safe.
 */
final class RecordCodec {
  private RecordCodec() {}

  static final int T_STRING = 0;
  static final int T_LONG = 1;
  static final int T_DOUBLE = 2;
  static final int T_TRUE = 3;
  static final int T_FALSE = 4;

  // ---- attributes (strings inline)

  static void attrs(Buf.Out o, Map<String, Object> a) {
    o.varint(a.size());
    for (Map.Entry<String, Object> e : a.entrySet()) {
      o.str(e.getKey());
      value(o, e.getValue());
    }
  }

  static void value(Buf.Out o, Object v) {
    if (v instanceof String s) {
      o.u8(T_STRING).str(s);
    } else if (v instanceof Long l) {
      o.u8(T_LONG).zigzag(l);
    } else if (v instanceof Double d) {
      o.u8(T_DOUBLE).f64(d);
    } else {
      o.u8((Boolean) v ? T_TRUE : T_FALSE);
    }
  }

  static Map<String, Object> attrs(Buf.In in) {
    int n = in.varint32();
    if (n == 0) {
      return Map.of();
    }
    AttributeMap.Builder m = AttributeMap.builder(n);
    for (int i = 0; i < n; i++) {
      String k = in.str();
      m.put(k, value(in));
    }
    return m.build();
  }

  /**
   * The resource maps of one frame: the first record of a resource writes its attributes, later ones
   * refer to it by number. A batch's records share their resource's map (often the larger half of a
   * span's attributes), so this writes it once per frame. Not thread-safe; one per frame.
   */
  static final class Resources {
    private final IdentityHashMap<Map<String, Object>, Integer> written = new IdentityHashMap<>();
    private final List<Map<String, Object>> defined;
    private final boolean known;

    /** For writing a frame, or reading one from its start. */
    Resources() {
      this.defined = new ArrayList<>();
      this.known = false;
    }

    /** For reading any one record of a frame whose resources, in order of definition, are known. */
    Resources(List<Map<String, Object>> defined) {
      this.defined = defined;
      this.known = true;
    }

    void write(Buf.Out o, Map<String, Object> resource) {
      Integer ref = written.get(resource);
      if (ref != null) {
        o.varint(ref);
      } else {
        o.varint(0);
        attrs(o, resource);
        defined.add(resource);
        written.put(resource, defined.size());
      }
    }

    Map<String, Object> read(Buf.In in) {
      int ref = in.varint32();
      if (ref > 0) {
        return defined.get(ref - 1);
      }
      Map<String, Object> m = attrs(in);
      if (!known) {
        defined.add(m);
      }
      return m;
    }

    /** The resources written or read so far, in order of definition. */
    List<Map<String, Object>> defined() {
      return List.copyOf(defined);
    }
  }

  static Object value(Buf.In in) {
    int t = in.u8();
    return switch (t) {
      case T_STRING -> in.str();
      case T_LONG -> in.zigzag();
      case T_DOUBLE -> in.f64();
      case T_TRUE -> Boolean.TRUE;
      case T_FALSE -> Boolean.FALSE;
      default -> throw new IllegalStateException("attribute type " + t);
    };
  }

  static void nullable(Buf.Out o, @Nullable String s) {
    if (s == null) {
      o.u8(0);
    } else {
      o.u8(1).str(s);
    }
  }

  @Nullable
  static String nullable(Buf.In in) {
    return in.u8() == 0 ? null : in.str();
  }

  // ---- spans

  static void span(Buf.Out o, SpanRecord s, Resources resources) {
    o.i64(s.traceId().high()).i64(s.traceId().low()).i64(s.spanId().value());
    o.i64(s.parentSpanId() == null ? 0 : s.parentSpanId().value());
    o.str(s.serviceName()).str(s.name()).u8(s.kind().ordinal());
    o.zigzag(s.startNanos()).varint(s.durationNanos());
    o.u8(s.statusCode().ordinal()).str(s.statusMessage());
    nullable(o, s.httpMethod());
    o.varint(s.httpStatus());
    nullable(o, s.httpUrl());
    nullable(o, s.httpRoute());
    attrs(o, s.attributes());
    resources.write(o, s.resourceAttributes());
    eventsAndLinks(o, s);
    o.str(s.scopeName()).str(s.scopeVersion());
  }

  static SpanRecord span(Buf.In in, Resources resources) {
    TraceId traceId = new TraceId(in.i64(), in.i64());
    SpanId spanId = new SpanId(in.i64());
    long parent = in.i64();
    String service = in.str();
    String name = in.str();
    SpanKind kind = SpanKind.values()[in.u8()];
    long start = in.zigzag();
    long end = start + in.varint();
    StatusCode status = StatusCode.values()[in.u8()];
    String message = in.str();
    String method = nullable(in);
    int httpStatus = in.varint32();
    String url = nullable(in);
    String route = nullable(in);
    Map<String, Object> attrs = attrs(in);
    Map<String, Object> resource = resources.read(in);
    List<SpanEvent> events = new ArrayList<>();
    List<SpanLink> links = new ArrayList<>();
    eventsAndLinks(in, events, links);
    String scope = in.str();
    String scopeVersion = in.str();
    return new SpanRecord(traceId, spanId, parent == 0 ? null : new SpanId(parent), service, name, kind, start, end,
        status, message, method, httpStatus, url, route, attrs, resource, events, links, scope, scopeVersion);
  }

  static void eventsAndLinks(Buf.Out o, SpanRecord s) {
    o.varint(s.events().size());
    for (SpanEvent e : s.events()) {
      o.zigzag(e.timeNanos()).str(e.name());
      attrs(o, e.attributes());
    }
    o.varint(s.links().size());
    for (SpanLink l : s.links()) {
      o.i64(l.traceId().high()).i64(l.traceId().low()).i64(l.spanId().value());
      attrs(o, l.attributes());
    }
  }

  static void eventsAndLinks(Buf.In in, List<SpanEvent> events, List<SpanLink> links) {
    int ne = in.varint32();
    for (int i = 0; i < ne; i++) {
      long t = in.zigzag();
      String name = in.str();
      events.add(new SpanEvent(t, name, attrs(in)));
    }
    int nl = in.varint32();
    for (int i = 0; i < nl; i++) {
      TraceId t = new TraceId(in.i64(), in.i64());
      SpanId s = new SpanId(in.i64());
      links.add(new SpanLink(t, s, attrs(in)));
    }
  }

  // ---- logs

  static void log(Buf.Out o, LogRecord r, Resources resources) {
    o.zigzag(r.timeNanos()).zigzag(r.observedTimeNanos() - r.timeNanos());
    o.str(r.logGroup()).str(r.logStream()).str(r.serviceName()).str(r.severityText()).u8(r.severityNumber());
    o.str(r.body());
    attrs(o, r.attributes());
    resources.write(o, r.resourceAttributes());
    if (r.traceId() == null) {
      o.u8(0);
    } else {
      o.u8(1).i64(r.traceId().high()).i64(r.traceId().low());
    }
    o.i64(r.spanId() == null ? 0 : r.spanId().value());
  }

  static LogRecord log(Buf.In in, Resources resources) {
    long time = in.zigzag();
    long observed = time + in.zigzag();
    String group = in.str();
    String stream = in.str();
    String service = in.str();
    String sevText = in.str();
    int sevNumber = in.u8();
    String body = in.str();
    Map<String, Object> attrs = attrs(in);
    Map<String, Object> resource = resources.read(in);
    TraceId traceId = in.u8() == 0 ? null : new TraceId(in.i64(), in.i64());
    long span = in.i64();
    return new LogRecord(time, observed, group, stream, service, sevText, sevNumber, body, attrs, resource, traceId,
        span == 0 ? null : new SpanId(span));
  }

  // ---- metric points

  static void point(Buf.Out o, MetricPoint p) {
    o.str(p.namespace()).str(p.name()).str(p.unit());
    o.varint(p.dimensions().size());
    p.dimensions().forEach((k, v) -> o.str(k).str(v));
    o.zigzag(p.timeNanos()).u8(p.kind().ordinal());
    o.f64(p.value()).varint(p.count()).f64(p.sum()).f64(p.min()).f64(p.max());
    o.varint(p.bucketBounds().size());
    p.bucketBounds().forEach(o::f64);
    o.varint(p.bucketCounts().size());
    p.bucketCounts().forEach(o::varint);
    o.varint(p.quantiles().size());
    p.quantiles().forEach(q -> o.f64(q.quantile()).f64(q.value()));
  }

  static MetricPoint point(Buf.In in) {
    String ns = in.str();
    String name = in.str();
    String unit = in.str();
    int nd = in.varint32();
    TreeMap<String, String> dims = new TreeMap<>();
    for (int i = 0; i < nd; i++) {
      dims.put(in.str(), in.str());
    }
    long time = in.zigzag();
    MetricKind kind = MetricKind.values()[in.u8()];
    double value = in.f64();
    long count = in.varint();
    double sum = in.f64();
    double min = in.f64();
    double max = in.f64();
    int nb = in.varint32();
    List<Double> bounds = new ArrayList<>(nb);
    for (int i = 0; i < nb; i++) {
      bounds.add(in.f64());
    }
    int nc = in.varint32();
    List<Long> counts = new ArrayList<>(nc);
    for (int i = 0; i < nc; i++) {
      counts.add(in.varint());
    }
    int nq = in.varint32();
    List<Quantile> qs = new ArrayList<>(nq);
    for (int i = 0; i < nq; i++) {
      qs.add(new Quantile(in.f64(), in.f64()));
    }
    return new MetricPoint(ns, name, unit, dims, time, kind, value, count, sum, min, max, bounds, counts, qs);
  }
}
