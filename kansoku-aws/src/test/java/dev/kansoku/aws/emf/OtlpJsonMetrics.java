package dev.kansoku.aws.emf;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads OTLP/JSON (the protobuf JSON mapping with lowerCamelCase names, 64-bit integers as strings or
 * numbers, enums as numbers or names) into protobuf, by walking the message descriptors. Test data
 * only: kansoku-aws does not depend on kansoku-otlp's reader, and a strict reader catches typos in
 * golden files (unknown fields are errors).
 */
final class OtlpJsonMetrics {
  private OtlpJsonMetrics() {}

  static ExportMetricsServiceRequest read(JsonNode json) {
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    merge(json, b);
    return b.build();
  }

  private static void merge(JsonNode json, Message.Builder b) {
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      FieldDescriptor f = b.getDescriptorForType().getFields().stream()
          .filter(x -> x.getJsonName().equals(e.getKey()) || x.getName().equals(e.getKey()))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException(
              "unknown field " + e.getKey() + " in " + b.getDescriptorForType().getFullName()));
      if (f.isRepeated()) {
        for (JsonNode item : e.getValue()) {
          b.addRepeatedField(f, value(f, item, b));
        }
      } else {
        b.setField(f, value(f, e.getValue(), b));
      }
    }
  }

  private static Object value(FieldDescriptor f, JsonNode n, Message.Builder parent) {
    return switch (f.getJavaType()) {
      case MESSAGE -> {
        Message.Builder child = parent.newBuilderForField(f);
        merge(n, child);
        yield child.build();
      }
      case INT -> n.isTextual() ? Integer.parseInt(n.asText()) : n.intValue();
      case LONG -> !n.isTextual() ? n.longValue()
          : f.getType() == FieldDescriptor.Type.FIXED64 || f.getType() == FieldDescriptor.Type.UINT64
              ? Long.parseUnsignedLong(n.asText()) : Long.parseLong(n.asText());
      case DOUBLE -> n.isTextual() ? Double.parseDouble(n.asText()) : n.doubleValue();
      case FLOAT -> (float) n.doubleValue();
      case BOOLEAN -> n.booleanValue();
      case STRING -> n.asText();
      case BYTE_STRING -> ByteString.copyFrom(Base64.getDecoder().decode(n.asText()));
      case ENUM -> n.isNumber() ? f.getEnumType().findValueByNumber(n.intValue())
          : f.getEnumType().findValueByName(n.asText());
    };
  }
}
