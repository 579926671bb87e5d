package dev.kansoku.store.opensearch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.SpanRecord;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeSet;

/**
 * The documents this store indexes and their ids. Each document holds the fields queries filter,
 * sort and aggregate on (see {@link IndexTemplates} for their mapping) plus {@code r}, the whole
 * record ({@link RecordCodec}), which is what reads decode; spans and log records hold their
 * resource's id in {@code res} instead of the resource ({@link ResourceIndex}).
 *
 * <p>Ids make writes idempotent: a span is {@code <trace id><span id>} (a re-sent span replaces its
 * earlier copy); a log record is a hash of its whole encoding and resource id (a record redelivered
 * from Kafka overwrites itself, two different records never collide in practice: 128 bits); a metric point is
 * a hash of its series (namespace, name, dimensions) and timestamp; a resource is a hash of its
 * attributes' encoding. Stateless, thread-safe.
 */
final class Documents {
  /** Keyword values longer than this are not indexed (still stored in {@code r}); see the template. */
  static final int MAX_KEYWORD = 256;

  private Documents() {}

  static String spanId(SpanRecord s) {
    return s.traceId().hex() + s.spanId().hex();
  }

  /** 32 hex digits of SHA-256 over the record's encoding and its resource's id (the encoding has no resource). */
  static String logId(byte[] encoded, String resourceId) {
    byte[] r = resourceId.getBytes(StandardCharsets.UTF_8);
    return hashId(ByteBuffer.allocate(encoded.length + r.length).put(encoded).put(r).array());
  }

  /** 32 hex digits (128 bits) of SHA-256 over {@code bytes}. */
  static String hashId(byte[] bytes) {
    return HexFormat.of().formatHex(sha256(bytes), 0, 16);
  }

  /** A document's sequence, the tie-breaker of time-sorted reads: its hash id's first 64 bits. */
  static long sequence(String id) {
    return Long.parseUnsignedLong(id.substring(0, 16), 16);
  }

  static String pointId(MetricPoint p) {
    StringBuilder series = new StringBuilder().append(p.namespace()).append('\u0000').append(p.name());
    for (Map.Entry<String, String> d : p.dimensions().entrySet()) { // sorted by the model
      series.append('\u0000').append(d.getKey()).append('\u0001').append(d.getValue());
    }
    byte[] s = series.toString().getBytes(StandardCharsets.UTF_8);
    byte[] key = ByteBuffer.allocate(s.length + 8).put(s).putLong(p.timeNanos()).array();
    return HexFormat.of().formatHex(sha256(key), 0, 16);
  }

  static void span(JsonGenerator g, SpanRecord s, byte[] encoded, String resourceId) throws IOException {
    g.writeStartObject();
    g.writeStringField("trace_id", s.traceId().hex());
    g.writeStringField("span_id", s.spanId().hex());
    if (s.parentSpanId() != null) {
      g.writeStringField("parent_id", s.parentSpanId().hex());
    }
    g.writeStringField("service", s.serviceName());
    g.writeStringField("name", s.name());
    g.writeStringField("kind", s.kind().name());
    g.writeNumberField("start", s.startNanos());
    g.writeNumberField("duration", s.durationNanos());
    g.writeStringField("status", s.statusCode().name());
    if (s.httpStatus() != 0) {
      g.writeNumberField("http_status", s.httpStatus());
    }
    g.writeStringField("res", resourceId);
    g.writeBinaryField("r", encoded);
    g.writeEndObject();
  }

  static void log(JsonGenerator g, LogRecord r, String id, byte[] encoded, String resourceId) throws IOException {
    g.writeStartObject();
    g.writeNumberField("time", r.timeNanos());
    g.writeNumberField("seq", sequence(id));
    g.writeStringField("group", r.logGroup());
    g.writeStringField("stream", r.logStream());
    g.writeStringField("service", r.serviceName());
    if (r.traceId() != null) {
      g.writeStringField("trace_id", r.traceId().hex());
    }
    if (r.spanId() != null) {
      g.writeStringField("span_id", r.spanId().hex());
    }
    g.writeStringField("body", r.body());
    attributes(g, r.attributes(), r.resourceAttributes());
    g.writeStringField("res", resourceId);
    g.writeBinaryField("r", encoded);
    g.writeEndObject();
  }

  static void point(JsonGenerator g, MetricPoint p, String id, byte[] encoded) throws IOException {
    g.writeStartObject();
    g.writeNumberField("seq", sequence(id));
    g.writeStringField("namespace", p.namespace());
    g.writeStringField("name", p.name());
    g.writeNumberField("time", p.timeNanos());
    g.writeArrayFieldStart("dim_keys");
    for (String k : p.dimensions().keySet()) {
      g.writeString(k);
    }
    g.writeEndArray();
    g.writeBinaryField("r", encoded);
    g.writeEndObject();
  }

  /**
   * Attributes as two keyword arrays over the record's and its resource's attributes: {@code
   * attr_keys} (which keys exist) and {@code attrs} ({@code key=value}). One mapping whatever the keys,
   * so arbitrary attribute names never grow the index mapping.
   */
  private static void attributes(JsonGenerator g, Map<String, Object> own, Map<String, Object> resource)
      throws IOException {
    TreeSet<String> keys = new TreeSet<>(resource.keySet());
    keys.addAll(own.keySet());
    g.writeArrayFieldStart("attr_keys");
    for (String k : keys) {
      g.writeString(k);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("attrs");
    for (Map.Entry<String, Object> e : resource.entrySet()) {
      g.writeString(e.getKey() + "=" + e.getValue());
    }
    for (Map.Entry<String, Object> e : own.entrySet()) {
      g.writeString(e.getKey() + "=" + e.getValue());
    }
    g.writeEndArray();
  }

  /** A resource document: its encoded attributes only. */
  static void resource(JsonGenerator g, byte[] encoded) throws IOException {
    g.writeStartObject();
    g.writeBinaryField("r", encoded);
    g.writeEndObject();
  }

  /** The id of the resource a span or log document refers to. */
  static String resourceRef(JsonNode source) {
    return source.path("res").asText();
  }

  static byte[] record(JsonNode source) {
    return Base64.getDecoder().decode(source.path("r").asText());
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from this JVM", e);
    }
  }
}
