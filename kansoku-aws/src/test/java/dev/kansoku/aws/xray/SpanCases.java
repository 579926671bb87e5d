package dev.kansoku.aws.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads the golden cases' compact span notation. Attribute values: JSON string, integer, decimal
 * number (double), boolean, array, object (a key-value list), null (an empty value). Span fields:
 * trace_id, span_id, parent_span_id (hex), name, kind (SERVER, CLIENT, …), start/end (unix nanos),
 * status {code: OK|ERROR|UNSET, message}, attributes, events [{name, time, attributes}],
 * links [{trace_id, span_id, attributes}].
 */
final class SpanCases {
  static final ObjectMapper JSON = new ObjectMapper();

  private SpanCases() {}

  static JsonNode resource(String name) throws IOException {
    try (InputStream in = SpanCases.class.getResourceAsStream("/xray/resources/" + name + ".json")) {
      if (in == null) {
        throw new IllegalArgumentException("no resource file " + name);
      }
      return JSON.readTree(in);
    }
  }

  static List<KeyValue> attributes(JsonNode node) {
    List<KeyValue> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.add(KeyValue.newBuilder().setKey(e.getKey()).setValue(value(e.getValue())).build());
    }
    return out;
  }

  static AnyValue value(JsonNode v) {
    AnyValue.Builder b = AnyValue.newBuilder();
    if (v.isTextual()) {
      b.setStringValue(v.asText());
    } else if (v.isIntegralNumber()) {
      b.setIntValue(v.asLong());
    } else if (v.isFloatingPointNumber()) {
      b.setDoubleValue(v.asDouble());
    } else if (v.isBoolean()) {
      b.setBoolValue(v.asBoolean());
    } else if (v.isArray()) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      v.forEach(e -> a.addValues(value(e)));
      b.setArrayValue(a);
    } else if (v.isObject()) {
      b.setKvlistValue(KeyValueList.newBuilder().addAllValues(attributes(v)));
    }
    return b.build();
  }

  static Span span(JsonNode n) {
    Span.Builder s = Span.newBuilder()
        .setTraceId(ByteString.fromHex(n.path("trace_id").asText("5f84c7a1e7d1852db8c4fd35d88bf49a")))
        .setSpanId(ByteString.fromHex(n.path("span_id").asText("")))
        .setParentSpanId(ByteString.fromHex(n.path("parent_span_id").asText("")))
        .setName(n.path("name").asText(""))
        .setKind(Span.SpanKind.valueOf("SPAN_KIND_" + n.path("kind").asText("UNSPECIFIED")))
        .setStartTimeUnixNano(n.path("start").asLong(1602537889_123456000L))
        .setEndTimeUnixNano(n.path("end").asLong(1602537889_338456000L))
        .addAllAttributes(attributes(n.get("attributes")));
    JsonNode status = n.get("status");
    if (status != null) {
      s.setStatus(Status.newBuilder()
          .setCode(Status.StatusCode.valueOf("STATUS_CODE_" + status.path("code").asText("UNSET")))
          .setMessage(status.path("message").asText("")));
    }
    for (JsonNode e : n.path("events")) {
      s.addEvents(Span.Event.newBuilder().setName(e.path("name").asText(""))
          .setTimeUnixNano(e.path("time").asLong(0)).addAllAttributes(attributes(e.get("attributes"))));
    }
    for (JsonNode l : n.path("links")) {
      s.addLinks(Span.Link.newBuilder().setTraceId(ByteString.fromHex(l.path("trace_id").asText()))
          .setSpanId(ByteString.fromHex(l.path("span_id").asText(""))).addAllAttributes(attributes(l.get("attributes"))));
    }
    return s.build();
  }

  /** Options of a case; ids count up from 1 so exception and generated segment ids are predictable. */
  static XrayOptions options(JsonNode n) {
    AtomicLong next = new AtomicLong();
    XrayOptions o = XrayOptions.DEFAULT
        .withIds(() -> String.format("%016x", next.incrementAndGet()))
        .withEpochSeconds(() -> n.path("now").asLong(1602537900L))
        .withIndexAllAttributes(n.path("index_all_attributes").asBoolean(false))
        .withSkipTimestampValidation(n.path("skip_timestamp_validation").asBoolean(true))
        .withAllowDotInAnnotationKeys(n.path("allow_dot").asBoolean(true));
    if (n.has("indexed_attributes")) {
      o = o.withIndexedAttributes(strings(n.get("indexed_attributes")));
    }
    if (n.has("aws_log_groups")) {
      o = o.withLogGroupNames(strings(n.get("aws_log_groups")));
    }
    return o;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(e -> out.add(e.asText()));
    return out;
  }
}
