package dev.kansoku.store.opensearch;

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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * The whole record as bytes, kept in each document's {@code r} field (base64, not indexed) so reads
 * return exactly what was written: JSON cannot tell a Long attribute from a Double one or carry NaN,
 * and the indexed fields are lossy on purpose (keywords cut at 256 characters). Decoding goes through
 * the records' canonical constructors with the stored values, so derived fields come back identical.
 * Enums are written by name, so reordering a model enum does not corrupt stored documents. Spans and
 * log records leave their resource out (it is stored once, see {@link ResourceIndex}) and get it back
 * on decoding. Version byte first. Stateless, thread-safe.
 */
final class RecordCodec {
  /** 2: spans and log records without their resource, which is its own document ({@link ResourceIndex}). */
  private static final int VERSION = 2;
  private static final int T_STRING = 0;
  private static final int T_LONG = 1;
  private static final int T_DOUBLE = 2;
  private static final int T_BOOLEAN = 3;

  private RecordCodec() {}

  static byte[] encode(SpanRecord s) {
    return write(o -> {
      traceId(o, s.traceId());
      o.writeLong(s.spanId().value());
      o.writeBoolean(s.parentSpanId() != null);
      if (s.parentSpanId() != null) {
        o.writeLong(s.parentSpanId().value());
      }
      str(o, s.serviceName());
      str(o, s.name());
      str(o, s.kind().name());
      o.writeLong(s.startNanos());
      o.writeLong(s.endNanos());
      str(o, s.statusCode().name());
      str(o, s.statusMessage());
      nullable(o, s.httpMethod());
      o.writeInt(s.httpStatus());
      nullable(o, s.httpUrl());
      nullable(o, s.httpRoute());
      attrs(o, s.attributes());
      o.writeInt(s.events().size());
      for (SpanEvent e : s.events()) {
        o.writeLong(e.timeNanos());
        str(o, e.name());
        attrs(o, e.attributes());
      }
      o.writeInt(s.links().size());
      for (SpanLink l : s.links()) {
        traceId(o, l.traceId());
        o.writeLong(l.spanId().value());
        attrs(o, l.attributes());
      }
      str(o, s.scopeName());
      str(o, s.scopeVersion());
    });
  }

  static SpanRecord decodeSpan(byte[] bytes, Map<String, Object> resource) {
    return read(bytes, in -> {
      TraceId traceId = traceId(in);
      SpanId spanId = new SpanId(in.readLong());
      SpanId parent = in.readBoolean() ? new SpanId(in.readLong()) : null;
      String service = str(in);
      String name = str(in);
      SpanKind kind = SpanKind.valueOf(str(in));
      long start = in.readLong();
      long end = in.readLong();
      StatusCode status = StatusCode.valueOf(str(in));
      String statusMessage = str(in);
      String httpMethod = nullable(in);
      int httpStatus = in.readInt();
      String httpUrl = nullable(in);
      String httpRoute = nullable(in);
      Map<String, Object> attributes = attrs(in);
      int eventCount = in.readInt();
      List<SpanEvent> events = new ArrayList<>(eventCount);
      for (int i = 0; i < eventCount; i++) {
        events.add(new SpanEvent(in.readLong(), str(in), attrs(in)));
      }
      int linkCount = in.readInt();
      List<SpanLink> links = new ArrayList<>(linkCount);
      for (int i = 0; i < linkCount; i++) {
        links.add(new SpanLink(traceId(in), new SpanId(in.readLong()), attrs(in)));
      }
      return new SpanRecord(traceId, spanId, parent, service, name, kind, start, end, status, statusMessage,
          httpMethod, httpStatus, httpUrl, httpRoute, attributes, resource, events, links, str(in), str(in));
    });
  }

  static byte[] encode(LogRecord r) {
    return write(o -> {
      o.writeLong(r.timeNanos());
      o.writeLong(r.observedTimeNanos());
      str(o, r.logGroup());
      str(o, r.logStream());
      str(o, r.serviceName());
      str(o, r.severityText());
      o.writeInt(r.severityNumber());
      str(o, r.body());
      attrs(o, r.attributes());
      o.writeBoolean(r.traceId() != null);
      if (r.traceId() != null) {
        traceId(o, r.traceId());
      }
      o.writeBoolean(r.spanId() != null);
      if (r.spanId() != null) {
        o.writeLong(r.spanId().value());
      }
    });
  }

  static LogRecord decodeLog(byte[] bytes, Map<String, Object> resource) {
    return read(bytes, in -> new LogRecord(in.readLong(), in.readLong(), str(in), str(in), str(in), str(in),
        in.readInt(), str(in), attrs(in), resource, in.readBoolean() ? traceId(in) : null,
        in.readBoolean() ? new SpanId(in.readLong()) : null));
  }

  /** A resource's attributes; its hash is the resource document's id, so this encoding must stay stable. */
  static byte[] encodeResource(Map<String, Object> attributes) {
    return write(o -> attrs(o, attributes));
  }

  static Map<String, Object> decodeResource(byte[] bytes) {
    return read(bytes, RecordCodec::attrs);
  }

  static byte[] encode(MetricPoint p) {
    return write(o -> {
      str(o, p.namespace());
      str(o, p.name());
      str(o, p.unit());
      o.writeInt(p.dimensions().size());
      for (Map.Entry<String, String> e : p.dimensions().entrySet()) {
        str(o, e.getKey());
        str(o, e.getValue());
      }
      o.writeLong(p.timeNanos());
      str(o, p.kind().name());
      o.writeDouble(p.value());
      o.writeLong(p.count());
      o.writeDouble(p.sum());
      o.writeDouble(p.min());
      o.writeDouble(p.max());
      o.writeInt(p.bucketBounds().size());
      for (double b : p.bucketBounds()) {
        o.writeDouble(b);
      }
      o.writeInt(p.bucketCounts().size());
      for (long c : p.bucketCounts()) {
        o.writeLong(c);
      }
      o.writeInt(p.quantiles().size());
      for (Quantile q : p.quantiles()) {
        o.writeDouble(q.quantile());
        o.writeDouble(q.value());
      }
    });
  }

  static MetricPoint decodePoint(byte[] bytes) {
    return read(bytes, in -> {
      String namespace = str(in);
      String name = str(in);
      String unit = str(in);
      int dimCount = in.readInt();
      Map<String, String> dims = new TreeMap<>();
      for (int i = 0; i < dimCount; i++) {
        dims.put(str(in), str(in));
      }
      long time = in.readLong();
      MetricKind kind = MetricKind.valueOf(str(in));
      double value = in.readDouble();
      long count = in.readLong();
      double sum = in.readDouble();
      double min = in.readDouble();
      double max = in.readDouble();
      int boundCount = in.readInt();
      List<Double> bounds = new ArrayList<>(boundCount);
      for (int i = 0; i < boundCount; i++) {
        bounds.add(in.readDouble());
      }
      int countCount = in.readInt();
      List<Long> counts = new ArrayList<>(countCount);
      for (int i = 0; i < countCount; i++) {
        counts.add(in.readLong());
      }
      int quantileCount = in.readInt();
      List<Quantile> quantiles = new ArrayList<>(quantileCount);
      for (int i = 0; i < quantileCount; i++) {
        quantiles.add(new Quantile(in.readDouble(), in.readDouble()));
      }
      return new MetricPoint(namespace, name, unit, dims, time, kind, value, count, sum, min, max, bounds, counts,
          quantiles);
    });
  }

  // ---- parts

  private interface Body {
    void write(DataOutputStream o) throws IOException;
  }

  private interface Reader<T> {
    T read(DataInputStream in) throws IOException;
  }

  private static byte[] write(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream o = new DataOutputStream(bytes)) {
      o.writeByte(VERSION);
      body.write(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }

  private static <T> T read(byte[] bytes, Reader<T> reader) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new IllegalStateException("stored record: format version " + version + " (expected: " + VERSION + ")");
      }
      return reader.read(in);
    } catch (IOException e) {
      throw new IllegalStateException("stored record: truncated or corrupt (" + e + ")", e);
    }
  }

  private static void traceId(DataOutputStream o, TraceId id) throws IOException {
    o.writeLong(id.high());
    o.writeLong(id.low());
  }

  private static TraceId traceId(DataInputStream in) throws IOException {
    return new TraceId(in.readLong(), in.readLong());
  }

  private static void str(DataOutputStream o, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    o.writeInt(b.length);
    o.write(b);
  }

  private static String str(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  private static void nullable(DataOutputStream o, @Nullable String s) throws IOException {
    o.writeBoolean(s != null);
    if (s != null) {
      str(o, s);
    }
  }

  @Nullable
  private static String nullable(DataInputStream in) throws IOException {
    return in.readBoolean() ? str(in) : null;
  }

  private static void attrs(DataOutputStream o, Map<String, Object> attrs) throws IOException {
    o.writeInt(attrs.size());
    for (Map.Entry<String, Object> e : attrs.entrySet()) {
      str(o, e.getKey());
      Object v = e.getValue();
      if (v instanceof String s) {
        o.writeByte(T_STRING);
        str(o, s);
      } else if (v instanceof Long l) {
        o.writeByte(T_LONG);
        o.writeLong(l);
      } else if (v instanceof Double d) {
        o.writeByte(T_DOUBLE);
        o.writeDouble(d);
      } else {
        o.writeByte(T_BOOLEAN);
        o.writeBoolean((Boolean) v);
      }
    }
  }

  private static Map<String, Object> attrs(DataInputStream in) throws IOException {
    int n = in.readInt();
    Map<String, Object> out = new LinkedHashMap<>(n * 2);
    for (int i = 0; i < n; i++) {
      String key = str(in);
      int type = in.readUnsignedByte();
      out.put(key, switch (type) {
        case T_STRING -> str(in);
        case T_LONG -> in.readLong();
        case T_DOUBLE -> in.readDouble();
        case T_BOOLEAN -> in.readBoolean();
        default -> throw new IOException("attribute type " + type);
      });
    }
    return out;
  }
}
