package dev.kansoku.kafka;

import com.google.protobuf.ByteString;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Turns one pipeline batch into Kafka messages: optionally one per partition key (trace id, or a
 * hash of the resource's attributes), each split until its encoded value fits
 * {@code max_message_bytes}. Stateless and thread-safe.
 */
final class KafkaMessages {
  /** Room kept for the record's key, headers and batch framing on top of the value (max.request.size). */
  static final int RECORD_OVERHEAD = 512;

  /** One message to send. {@code key} is null when the producer should spread messages over partitions. */
  record Outgoing(@Nullable byte[] key, byte[] value, int items) {}

  /** The messages, and the items that could not be sent because one item alone is too large. */
  record Result(List<Outgoing> messages, int oversizeItems, int largestOversizeBytes) {}

  /** Which batches get a partition key. */
  enum Keying { NONE, TRACE_ID, RESOURCE }

  private final int maxMessageBytes;

  KafkaMessages(int maxMessageBytes) {
    this.maxMessageBytes = maxMessageBytes;
  }

  <T> Result messages(Signal<T> signal, T batch, KafkaEncoding encoding, Keying keying) {
    List<Outgoing> out = new ArrayList<>();
    int[] oversize = new int[2];
    keyed(signal, batch, keying).forEach((key, part) -> fit(signal, part, key, encoding, out, oversize));
    return new Result(out, oversize[0], oversize[1]);
  }

  /** Encodes {@code data}; when too large, halves it by item count and tries each half. */
  private <T> void fit(Signal<T> signal, T data, @Nullable String key, KafkaEncoding encoding, List<Outgoing> out,
      int[] oversize) {
    byte[] value = encoding.encode((com.google.protobuf.Message) data);
    int items = signal.count(data);
    if (value.length <= maxMessageBytes) {
      out.add(new Outgoing(key == null ? null : key.getBytes(StandardCharsets.UTF_8), value, items));
      return;
    }
    if (items <= 1) {
      oversize[0] += Math.max(items, 1);
      oversize[1] = Math.max(oversize[1], value.length);
      return;
    }
    for (T part : signal.split(data, (items + 1) / 2)) {
      fit(signal, part, key, encoding, out, oversize);
    }
  }

  /** The batch by partition key, in first-seen order; one entry with a null key when not keyed. */
  @SuppressWarnings("unchecked")
  static <T> Map<String, T> keyed(Signal<T> signal, T batch, Keying keying) {
    Map<String, T> one = new LinkedHashMap<>();
    if (keying == Keying.TRACE_ID && signal == Signal.TRACES) {
      return (Map<String, T>) byTraceId((ExportTraceServiceRequest) batch);
    }
    if (keying == Keying.RESOURCE && signal == Signal.METRICS) {
      Map<String, ExportMetricsServiceRequest.Builder> parts = new LinkedHashMap<>();
      for (ResourceMetrics rm : ((ExportMetricsServiceRequest) batch).getResourceMetricsList()) {
        parts.computeIfAbsent(resourceKey(rm.getResource()), k -> ExportMetricsServiceRequest.newBuilder())
            .addResourceMetrics(rm);
      }
      parts.forEach((k, b) -> one.put(k, (T) b.build()));
      return one;
    }
    if (keying == Keying.RESOURCE && signal == Signal.LOGS) {
      Map<String, ExportLogsServiceRequest.Builder> parts = new LinkedHashMap<>();
      for (ResourceLogs rl : ((ExportLogsServiceRequest) batch).getResourceLogsList()) {
        parts.computeIfAbsent(resourceKey(rl.getResource()), k -> ExportLogsServiceRequest.newBuilder())
            .addResourceLogs(rl);
      }
      parts.forEach((k, b) -> one.put(k, (T) b.build()));
      return one;
    }
    one.put(null, batch);
    return one;
  }

  /** One request per trace id (lower-case hex, the key), keeping each span under its resource and scope. */
  private static Map<String, ExportTraceServiceRequest> byTraceId(ExportTraceServiceRequest request) {
    Map<ByteString, ExportTraceServiceRequest.Builder> byTrace = new LinkedHashMap<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<ByteString, ResourceSpans.Builder> resources = new LinkedHashMap<>();
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        Map<ByteString, ScopeSpans.Builder> scopes = new LinkedHashMap<>();
        for (Span span : ss.getSpansList()) {
          scopes.computeIfAbsent(span.getTraceId(), t -> ss.toBuilder().clearSpans()).addSpans(span);
        }
        scopes.forEach((t, b) -> resources.computeIfAbsent(t, k -> rs.toBuilder().clearScopeSpans()).addScopeSpans(b));
      }
      resources.forEach((t, b) -> byTrace.computeIfAbsent(t, k -> ExportTraceServiceRequest.newBuilder())
          .addResourceSpans(b));
    }
    Map<String, ExportTraceServiceRequest> out = new LinkedHashMap<>();
    byTrace.forEach((t, b) -> out.put(HexFormat.of().formatHex(t.toByteArray()), b.build()));
    return out;
  }

  /**
   * A stable key for a resource: a hash of its attributes sorted by key, so the same resource
   * always maps to the same partition whatever order its attributes came in.
   */
  static String resourceKey(Resource resource) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
    List<KeyValue> attributes = new ArrayList<>(resource.getAttributesList());
    attributes.sort(Comparator.comparing(KeyValue::getKey));
    for (KeyValue kv : attributes) {
      digest.update(kv.getKeyBytes().toByteArray());
      digest.update((byte) 0);
      digest.update(kv.getValue().toByteArray());
      digest.update((byte) 0);
    }
    return HexFormat.of().formatHex(digest.digest(), 0, 16);
  }
}
