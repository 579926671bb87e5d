package dev.kansoku.aws.xrayreceiver;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A reviewable text form of translated spans for golden files: ids in hex, times in nanoseconds,
 * attributes sorted by key with typed values ({@code "s"} string, {@code 3} int, {@code 0.5d}
 * double, {@code true} bool, {@code [..]} array). Every span field the translator may set is
 * printed; the fields it never sets are checked to be empty instead, so nothing hides.
 */
final class SpanText {
  private static final HexFormat HEX = HexFormat.of();

  private SpanText() {}

  static String render(ResourceSpans rs) {
    StringBuilder b = new StringBuilder();
    b.append("resource\n");
    attributes(b, "  ", rs.getResource().getAttributesList());
    for (ScopeSpans ss : rs.getScopeSpansList()) {
      check(!ss.hasScope() && ss.getSchemaUrl().isEmpty(), "scope is empty");
      for (Span s : ss.getSpansList()) {
        b.append("span ").append(s.getName()).append('\n');
        b.append("  ids ").append(HEX.formatHex(s.getTraceId().toByteArray())).append(' ')
            .append(HEX.formatHex(s.getSpanId().toByteArray())).append(" parent ")
            .append(s.getParentSpanId().isEmpty() ? "-" : HEX.formatHex(s.getParentSpanId().toByteArray()))
            .append('\n');
        b.append("  kind ").append(s.getKind().name().substring("SPAN_KIND_".length()))
            .append(" start ").append(Long.toUnsignedString(s.getStartTimeUnixNano()))
            .append(" end ").append(Long.toUnsignedString(s.getEndTimeUnixNano()))
            .append('\n');
        b.append("  status ").append(s.getStatus().getCode().name().substring("STATUS_CODE_".length()));
        if (!s.getStatus().getMessage().isEmpty()) {
          b.append(' ').append(quote(s.getStatus().getMessage()));
        }
        b.append('\n');
        attributes(b, "  ", s.getAttributesList());
        for (Span.Event e : s.getEventsList()) {
          b.append("  event ").append(e.getName()).append(" at ").append(Long.toUnsignedString(e.getTimeUnixNano())).append('\n');
          attributes(b, "    ", e.getAttributesList());
        }
        check(s.getLinksCount() == 0 && s.getTraceState().isEmpty() && s.getFlags() == 0
            && s.getDroppedAttributesCount() == 0 && s.getDroppedEventsCount() == 0, "unprinted span fields are empty");
      }
    }
    return b.toString();
  }

  private static void attributes(StringBuilder b, String indent, List<KeyValue> kvs) {
    kvs.stream().sorted(Comparator.comparing(KeyValue::getKey))
        .forEach(kv -> b.append(indent).append(kv.getKey()).append(" = ").append(value(kv.getValue())).append('\n'));
  }

  private static String value(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> quote(v.getStringValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> v.getDoubleValue() + "d";
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(SpanText::value)
          .collect(Collectors.joining(", ", "[", "]"));
      default -> throw new AssertionError("unexpected attribute value " + v);
    };
  }

  private static String quote(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("expected: " + what);
    }
  }
}
