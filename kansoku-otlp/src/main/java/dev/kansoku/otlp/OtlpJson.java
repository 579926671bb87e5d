package dev.kansoku.otlp;

import static java.util.Objects.requireNonNull;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Internal;
import com.google.protobuf.Message;
import dev.kansoku.pipeline.Signal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.annotation.Nullable;

/**
 * The OTLP/JSON encoding: proto3 JSON with the changes the OTLP specification makes to it.
 *
 * <ul>
 *   <li>Trace and span ids (in spans, span links, log records and exemplars) are hex strings, not
 *       base64. A trace id is 16 bytes, a span id 8; an empty string is the empty id.
 *   <li>Enums are written as integers; a reader accepts integers or names.
 *   <li>Keys are lowerCamelCase; a reader also accepts the proto field names (snake_case).
 *   <li>A reader ignores fields it does not know (the specification says receivers MUST).
 * </ul>
 *
 * <p>{@link #write} produces what the OpenTelemetry Collector's JSON marshaler produces for the
 * same data, byte for byte, so files written by our {@code file} exporter can be compared with the
 * collector's: fields in the collector's order, default values omitted, 64-bit integers as
 * strings, doubles as Go prints them, no whitespace. Like the collector, it always writes the
 * nested messages its model has no presence for ({@code resource}, {@code scope}, {@code status},
 * {@code value}, {@code body}, {@code positive}, {@code negative}), as {@code {}} when unset.
 *
 * <p>Both directions walk the protobuf descriptors with Jackson's streaming parser or a string
 * builder: one pass, no intermediate tree, so a 1 MB body decodes in milliseconds. Thread-safe;
 * the only state is a cache of per-message-type field tables.
 */
public final class OtlpJson {
  private static final Map<Descriptor, Fields> FIELDS = new ConcurrentHashMap<>();

  /** Id fields that the specification requires to be present: a span and a link name a real span. */
  private static final Set<String> REQUIRED_IDS = Set.of(
      "opentelemetry.proto.trace.v1.Span.trace_id",
      "opentelemetry.proto.trace.v1.Span.span_id",
      "opentelemetry.proto.trace.v1.Span.Link.trace_id",
      "opentelemetry.proto.trace.v1.Span.Link.span_id");

  private OtlpJson() {}

  /**
   * Decodes one OTLP/JSON export request of {@code signal}.
   *
   * @throws InvalidOtlpException naming the offending field's path, the value and the expectation
   */
  public static <T extends Message> T parse(Signal<T> signal, byte[] json) throws InvalidOtlpException {
    requireNonNull(signal, "signal");
    requireNonNull(json, "json");
    return parse(signal.dataType(), json);
  }

  /** As {@link #parse(Signal, byte[])}, for any OTLP message type (e.g. {@code TracesData}). */
  public static <T extends Message> T parse(Class<T> type, byte[] json) throws InvalidOtlpException {
    requireNonNull(type, "type");
    requireNonNull(json, "json");
    Message prototype = Internal.getDefaultInstance(type);
    return type.cast(new OtlpJsonReader(json).readRoot(prototype.newBuilderForType()));
  }

  /** One line of OTLP/JSON (no line terminator), UTF-8, as the collector's JSON marshaler writes it. */
  public static byte[] write(Message message) {
    requireNonNull(message, "message");
    return OtlpJsonWriter.write(message);
  }

  static Fields fields(Descriptor type) {
    return FIELDS.computeIfAbsent(type, Fields::new);
  }

  /**
   * What both directions need to know about one field, computed once per message type.
   *
   * @param idBytes for a trace or span id field, the id's length in bytes; otherwise 0
   * @param idRequired whether an empty id is an error (span and link ids)
   * @param alwaysWritten a singular message outside a oneof: the collector's model embeds it by
   *     value, so its marshaler writes it even when unset
   */
  record Field(FieldDescriptor descriptor, String jsonName, int idBytes, boolean idRequired, boolean alwaysWritten) {
    static Field of(FieldDescriptor fd) {
      int idBytes = 0;
      if (fd.getType() == FieldDescriptor.Type.BYTES && !fd.isRepeated()) {
        idBytes = switch (fd.getName()) {
          case "trace_id" -> 16;
          case "span_id", "parent_span_id" -> 8;
          default -> 0;
        };
      }
      boolean alwaysWritten = fd.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !fd.isRepeated()
          && fd.getRealContainingOneof() == null;
      return new Field(fd, fd.getJsonName(), idBytes, REQUIRED_IDS.contains(fd.getFullName()), alwaysWritten);
    }
  }

  /** The fields of one message type: by JSON key for reading, in the collector's order for writing. */
  static final class Fields {
    private final Map<String, Field> byKey = new HashMap<>();
    final List<Field> writeOrder;

    Fields(Descriptor type) {
      List<Field> order = new ArrayList<>();
      for (FieldDescriptor fd : type.getFields()) {
        Field f = Field.of(fd);
        order.add(f);
        byKey.put(fd.getJsonName(), f);
        byKey.put(fd.getName(), f);
      }
      // The collector writes fields in declaration order except in Exemplar, where its model lists
      // trace_id before span_id while the .proto declares span_id (4) first.
      if (type.getFullName().equals("opentelemetry.proto.metrics.v1.Exemplar")) {
        int span = indexOf(order, "span_id");
        int trace = indexOf(order, "trace_id");
        if (span >= 0 && trace >= 0 && span < trace) {
          order.set(span, order.set(trace, order.get(span)));
        }
      }
      this.writeOrder = List.copyOf(order);
    }

    @Nullable
    Field byKey(String key) {
      return byKey.get(key);
    }

    private static int indexOf(List<Field> fields, String name) {
      for (int i = 0; i < fields.size(); i++) {
        if (fields.get(i).descriptor().getName().equals(name)) {
          return i;
        }
      }
      return -1;
    }
  }
}
