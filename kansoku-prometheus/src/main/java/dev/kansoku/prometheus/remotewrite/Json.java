package dev.kansoku.prometheus.remotewrite;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.Base64;

/** The JSON that pcommon.Value.AsString gives for list and map attribute values. */
final class Json {
  private Json() {}

  static String write(AnyValue v) {
    StringBuilder b = new StringBuilder();
    value(b, v);
    return b.toString();
  }

  private static void value(StringBuilder b, AnyValue v) {
    switch (v.getValueCase()) {
      case STRING_VALUE -> string(b, v.getStringValue());
      case BOOL_VALUE -> b.append(v.getBoolValue());
      case INT_VALUE -> b.append(v.getIntValue());
      case DOUBLE_VALUE -> b.append(RemoteWriteTranslator.format(v.getDoubleValue()));
      case BYTES_VALUE -> string(b, Base64.getEncoder().encodeToString(v.getBytesValue().toByteArray()));
      case ARRAY_VALUE -> {
        b.append('[');
        for (int i = 0; i < v.getArrayValue().getValuesCount(); i++) {
          b.append(i == 0 ? "" : ",");
          value(b, v.getArrayValue().getValues(i));
        }
        b.append(']');
      }
      case KVLIST_VALUE -> {
        b.append('{');
        for (int i = 0; i < v.getKvlistValue().getValuesCount(); i++) {
          KeyValue kv = v.getKvlistValue().getValues(i);
          b.append(i == 0 ? "" : ",");
          string(b, kv.getKey());
          b.append(':');
          value(b, kv.getValue());
        }
        b.append('}');
      }
      default -> b.append("null");
    }
  }

  private static void string(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }
}
