package dev.kansoku.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * OTLP/JSON encoding for the load generator: protobuf's canonical JSON, except that OTLP wants
 * trace and span ids as hex strings where canonical JSON writes bytes as base64, and enums as
 * integers. Only used while the request pool is built, so speed does not matter.
 *
 * <p>Stop-gap until {@code dev.kansoku.otlp.OtlpJson.write(Message)} is on main; then use that.
 */
final class OtlpJsonIds {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().printingEnumsAsInts().omittingInsignificantWhitespace();
  private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId");

  private OtlpJsonIds() {}

  static String write(Message message) {
    try {
      JsonNode tree = MAPPER.readTree(PRINTER.print(message));
      hexIds(tree);
      return MAPPER.writeValueAsString(tree);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("cannot print " + message.getDescriptorForType().getFullName(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void hexIds(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (ID_FIELDS.contains(e.getKey()) && e.getValue().isTextual()) {
          e.setValue(obj.textNode(DiceTelemetry.hex(Base64.getDecoder().decode(e.getValue().textValue()))));
        } else {
          hexIds(e.getValue());
        }
      }
    } else if (node.isArray()) {
      node.forEach(OtlpJsonIds::hexIds);
    }
  }
}
