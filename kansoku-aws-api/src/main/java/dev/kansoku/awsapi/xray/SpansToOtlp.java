package dev.kansoku.awsapi.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.kansoku.model.SpanEvent;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanLink;
import dev.kansoku.model.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stored spans back to OTLP, so that BatchGetTraces can hand them to the same translator the
 * {@code awsxray} exporter uses ({@code XraySegments}) and answer with the documents ADOT would have
 * sent. The store flattened attributes to scalars; the one list the translator needs back is
 * {@code aws.xray.annotations} (which attributes were annotations), kept by the store as JSON text.
 * Stateless.
 */
final class SpansToOtlp {
  private static final String ANNOTATIONS_KEY = "aws.xray.annotations";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private SpansToOtlp() {}

  static ExportTraceServiceRequest request(List<SpanRecord> spans) {
    // One ResourceSpans per distinct resource, one ScopeSpans per scope inside it, in first-seen order.
    Map<Map<String, Object>, Map<List<String>, List<Span>>> grouped = new LinkedHashMap<>();
    for (SpanRecord s : spans) {
      grouped.computeIfAbsent(s.resourceAttributes(), k -> new LinkedHashMap<>())
          .computeIfAbsent(List.of(s.scopeName(), s.scopeVersion()), k -> new ArrayList<>()).add(span(s));
    }
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    grouped.forEach((resource, scopes) -> {
      ResourceSpans.Builder rs = ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAllAttributes(keyValues(resource)));
      scopes.forEach((scope, list) -> rs.addScopeSpans(ScopeSpans.newBuilder()
          .setScope(InstrumentationScope.newBuilder().setName(scope.get(0)).setVersion(scope.get(1)))
          .addAllSpans(list)));
      req.addResourceSpans(rs);
    });
    return req.build();
  }

  static Span span(SpanRecord s) {
    Span.Builder b = Span.newBuilder()
        .setTraceId(ByteString.copyFrom(s.traceId().toBytes()))
        .setSpanId(spanId(s.spanId()))
        .setName(s.name())
        .setKindValue(s.kind().ordinal())
        .setStartTimeUnixNano(s.startNanos())
        .setEndTimeUnixNano(s.endNanos())
        .setStatus(Status.newBuilder().setCodeValue(s.statusCode().ordinal()).setMessage(s.statusMessage()))
        .addAllAttributes(keyValues(s.attributes()));
    if (s.parentSpanId() != null) {
      b.setParentSpanId(spanId(s.parentSpanId()));
    }
    for (SpanEvent e : s.events()) {
      b.addEvents(Span.Event.newBuilder().setTimeUnixNano(e.timeNanos()).setName(e.name())
          .addAllAttributes(keyValues(e.attributes())));
    }
    for (SpanLink l : s.links()) {
      b.addLinks(Span.Link.newBuilder().setTraceId(ByteString.copyFrom(l.traceId().toBytes()))
          .setSpanId(spanId(l.spanId())).addAllAttributes(keyValues(l.attributes())));
    }
    return b.build();
  }

  private static ByteString spanId(SpanId id) {
    byte[] b = new byte[8];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (id.value() >>> (56 - 8 * i));
    }
    return ByteString.copyFrom(b);
  }

  private static List<KeyValue> keyValues(Map<String, Object> attrs) {
    List<KeyValue> out = new ArrayList<>(attrs.size());
    attrs.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(value(k, v)).build()));
    return out;
  }

  private static AnyValue value(String key, Object v) {
    if (ANNOTATIONS_KEY.equals(key) && v instanceof String text && text.startsWith("[")) {
      AnyValue list = annotationKeys(text);
      if (list != null) {
        return list;
      }
    }
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Long x) {
      b.setIntValue(x);
    } else if (v instanceof Integer x) {
      b.setIntValue(x);
    } else if (v instanceof Double x) {
      b.setDoubleValue(x);
    } else {
      b.setStringValue(String.valueOf(v));
    }
    return b.build();
  }

  private static AnyValue annotationKeys(String json) {
    try {
      JsonNode arr = MAPPER.readTree(json);
      if (!arr.isArray()) {
        return null;
      }
      ArrayValue.Builder keys = ArrayValue.newBuilder();
      arr.forEach(k -> keys.addValues(AnyValue.newBuilder().setStringValue(k.asText())));
      return AnyValue.newBuilder().setArrayValue(keys).build();
    } catch (IOException e) {
      return null; // not the list the store wrote; keep it as the text it is
    }
  }

  /** The attribute names a span's annotations were stored under (empty when it had none). */
  static List<String> annotationKeys(SpanRecord s) {
    Object v = s.attributes().get(ANNOTATIONS_KEY);
    if (!(v instanceof String text) || !text.startsWith("[")) {
      return List.of();
    }
    AnyValue list = annotationKeys(text);
    if (list == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    list.getArrayValue().getValuesList().forEach(k -> out.add(k.getStringValue()));
    return out;
  }
}
