package dev.kansoku.aws.xrayreceiver;

import static dev.kansoku.aws.xrayreceiver.SegmentFields.bool;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.describe;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.integer;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.keyValues;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.putBool;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.putInt;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.putStr;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.str;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * A {@code cause} object's exceptions as OTLP {@code exception} events, as the collector's
 * awsxrayreceiver maps them: the X-Ray fields ({@code id}, {@code remote}, {@code truncated},
 * {@code skipped}, {@code cause}) under {@code aws.xray.exception.*}, the frames as a Java-layout
 * {@code exception.stacktrace}. Stateless and thread-safe.
 */
final class SegmentCause {
  private SegmentCause() {}

  static List<Span.Event> exceptionEvents(JsonNode cause, String path, long timeNanos)
      throws InvalidSegmentException {
    JsonNode exceptions = cause.get("exceptions");
    List<Span.Event> events = new ArrayList<>();
    if (exceptions == null || exceptions.isNull()) {
      return events;
    }
    if (!exceptions.isArray()) {
      throw new InvalidSegmentException(path + "exceptions: " + describe(exceptions) + " (expected: an array)");
    }
    for (int i = 0; i < exceptions.size(); i++) {
      String ep = path + "exceptions[" + i + "].";
      JsonNode e = exceptions.get(i);
      if (!e.isObject()) {
        throw new InvalidSegmentException(path + "exceptions[" + i + "]: " + describe(e) + " (expected: an exception object)");
      }
      Map<String, AnyValue> attrs = new LinkedHashMap<>();
      putStr(attrs, "aws.xray.exception.id", str(e, "id", ep));
      String message = str(e, "message", ep);
      String type = str(e, "type", ep);
      putStr(attrs, "exception.message", message);
      putStr(attrs, "exception.type", type);
      putBool(attrs, "aws.xray.exception.remote", bool(e, "remote", ep));
      putInt(attrs, "aws.xray.exception.truncated", integer(e, "truncated", ep));
      putInt(attrs, "aws.xray.exception.skipped", integer(e, "skipped", ep));
      putStr(attrs, "aws.xray.exception.cause", str(e, "cause", ep));
      JsonNode stack = e.get("stack");
      if (stack != null && stack.isArray() && !stack.isEmpty()) {
        attrs.put("exception.stacktrace", str(stackTrace(type, message, stack, ep + "stack")));
      }
      events.add(Span.Event.newBuilder().setName("exception").setTimeUnixNano(timeNanos)
          .addAllAttributes(keyValues(attrs)).build());
    }
    return events;
  }

  /**
   * Java's layout ({@code type: message} then {@code \tat label(path: line)} per frame), the one the
   * awsxray exporter parses back into frames.
   */
  private static String stackTrace(@Nullable String type, @Nullable String message, JsonNode stack, String path)
      throws InvalidSegmentException {
    StringBuilder b = new StringBuilder();
    b.append(type == null ? "" : type).append(": ").append(message == null ? "" : message).append('\n');
    for (int i = 0; i < stack.size(); i++) {
      String fp = path + "[" + i + "].";
      JsonNode frame = stack.get(i);
      // A null frame is Go's zero StackFrame: "\tat (: <unknown>)".
      if (!frame.isObject() && !frame.isNull()) {
        throw new InvalidSegmentException(path + "[" + i + "]: " + describe(frame) + " (expected: a stack frame object)");
      }
      String label = str(frame, "label", fp);
      String file = str(frame, "path", fp);
      Long line = integer(frame, "line", fp);
      b.append("\tat ").append(label == null ? "" : label).append('(').append(file == null ? "" : file)
          .append(": ").append(line == null ? "<unknown>" : line.toString()).append(")\n");
    }
    return b.toString();
  }
}
