package dev.kansoku.aws.xrayreceiver;

import static dev.kansoku.aws.xrayreceiver.SegmentFields.describe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The reference decodes a segment document into Go structs (internal/aws/xray tracesegment.go)
 * before translating it, so a document is refused for a value of the wrong type in any field the
 * model knows, read by the translation or not ({@code "origin": 5}, {@code "precursor_ids": [1]}),
 * and its struct keys match in any case ({@code "Name"} is {@code name}). This check does the same
 * on the parsed tree: it refuses what Go's json.Unmarshal refuses, naming the field, and renames a
 * key written in another case to the model's name (the last one wins, as in Go). Null fits every
 * field; keys the model does not know are left alone; map keys (annotations, metadata) are exact.
 */
final class SegmentSchema {
  private enum Kind { STRING, BOOL, FLOAT64, INT64, ANY, STRINGS, ANY_MAP, METADATA, CAUSE }

  /** A Go struct of the document model: its JSON keys and the type each holds. */
  private record Struct(String expected, Map<String, Object> fields) {}

  /** A slice of structs. */
  private record ArrayOf(Struct element) {}

  private static final Struct FRAME = struct("a stack frame object",
      "path", Kind.STRING, "line", Kind.INT64, "label", Kind.STRING);
  private static final Struct EXCEPTION = struct("an exception object",
      "id", Kind.STRING, "message", Kind.STRING, "type", Kind.STRING, "remote", Kind.BOOL,
      "truncated", Kind.INT64, "skipped", Kind.INT64, "cause", Kind.STRING, "stack", new ArrayOf(FRAME));
  private static final Struct CAUSE = struct("a cause object",
      "working_directory", Kind.STRING, "paths", Kind.STRINGS, "exceptions", new ArrayOf(EXCEPTION));
  private static final Struct HTTP = struct("an object",
      "request", struct("an object", "x_forwarded_for", Kind.BOOL, "method", Kind.STRING, "url", Kind.STRING,
          "user_agent", Kind.STRING, "client_ip", Kind.STRING),
      "response", struct("an object", "status", Kind.INT64, "content_length", Kind.ANY));
  private static final Struct AWS = struct("an object",
      "elastic_beanstalk", struct("an object", "environment_name", Kind.STRING, "version_label", Kind.STRING,
          "deployment_id", Kind.INT64),
      "cloudwatch_logs", new ArrayOf(struct("a log group object", "log_group", Kind.STRING, "arn", Kind.STRING)),
      "ecs", struct("an object", "container", Kind.STRING, "container_id", Kind.STRING, "task_arn", Kind.STRING,
          "task_family", Kind.STRING, "cluster_arn", Kind.STRING, "container_arn", Kind.STRING,
          "availability_zone", Kind.STRING, "launch_type", Kind.STRING),
      "ec2", struct("an object", "instance_id", Kind.STRING, "availability_zone", Kind.STRING,
          "instance_size", Kind.STRING, "ami_id", Kind.STRING),
      "eks", struct("an object", "cluster_name", Kind.STRING, "pod", Kind.STRING, "container_id", Kind.STRING),
      "xray", struct("an object", "sdk", Kind.STRING, "sdk_version", Kind.STRING,
          "auto_instrumentation", Kind.BOOL),
      "account_id", Kind.STRING, "operation", Kind.STRING, "region", Kind.STRING, "request_id", Kind.STRING,
      "queue_url", Kind.STRING, "table_name", Kind.STRING, "table_names", Kind.STRINGS, "retries", Kind.INT64);
  private static final Struct SQL = struct("an object",
      "connection_string", Kind.STRING, "url", Kind.STRING, "sanitized_query", Kind.STRING,
      "database_type", Kind.STRING, "database_version", Kind.STRING, "driver_version", Kind.STRING,
      "user", Kind.STRING, "preparation", Kind.STRING);
  private static final Struct SEGMENT = struct("a subsegment object",
      "name", Kind.STRING, "id", Kind.STRING, "start_time", Kind.FLOAT64,
      "service", struct("an object", "version", Kind.STRING, "compiler_version", Kind.STRING,
          "compiler", Kind.STRING),
      "origin", Kind.STRING, "user", Kind.STRING, "resource_arn", Kind.STRING,
      "links", new ArrayOf(struct("a link object", "trace_id", Kind.STRING, "id", Kind.STRING,
          "attributes", Kind.ANY_MAP)),
      "trace_id", Kind.STRING, "end_time", Kind.FLOAT64, "in_progress", Kind.BOOL, "http", HTTP,
      "fault", Kind.BOOL, "error", Kind.BOOL, "throttle", Kind.BOOL, "cause", Kind.CAUSE, "aws", AWS,
      "annotations", Kind.ANY_MAP, "metadata", Kind.METADATA,
      "namespace", Kind.STRING, "parent_id", Kind.STRING, "type", Kind.STRING, "precursor_ids", Kind.STRINGS,
      "traced", Kind.BOOL, "sql", SQL);

  static {
    SEGMENT.fields().put("subsegments", new ArrayOf(SEGMENT));
  }

  private SegmentSchema() {}

  /** Checks a whole segment document, renaming keys written in another case in place. */
  static void check(ObjectNode doc) throws InvalidSegmentException {
    checkStruct(doc, SEGMENT, "");
  }

  private static Struct struct(String expected, Object... keysAndTypes) {
    Map<String, Object> fields = new HashMap<>();
    for (int i = 0; i < keysAndTypes.length; i += 2) {
      fields.put((String) keysAndTypes[i], keysAndTypes[i + 1]);
    }
    return new Struct(expected, fields);
  }

  private static void checkStruct(ObjectNode obj, Struct struct, String path) throws InvalidSegmentException {
    boolean renamed = false;
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = fieldName(struct, e.getKey());
      if (name != null) {
        renamed |= !name.equals(e.getKey());
        check(e.getValue(), struct.fields().get(name), path + name);
      }
    }
    if (renamed) {
      // Each key in document order sets its field, so the last of a field's spellings wins.
      Map<String, JsonNode> values = new LinkedHashMap<>();
      List<String> keys = new ArrayList<>();
      obj.fields().forEachRemaining(e -> {
        String name = fieldName(struct, e.getKey());
        if (name != null) {
          values.put(name, e.getValue());
          keys.add(e.getKey());
        }
      });
      obj.remove(keys);
      values.forEach(obj::replace);
    }
  }

  /** The model's name for a key: the same key, or one equal ignoring case as Go's decoder matches. */
  @Nullable
  private static String fieldName(Struct struct, String key) {
    if (struct.fields().containsKey(key)) {
      return key;
    }
    for (String name : struct.fields().keySet()) {
      if (name.equalsIgnoreCase(key)) {
        return name;
      }
    }
    return null;
  }

  private static void check(JsonNode v, Object type, String path) throws InvalidSegmentException {
    if (v.isNull()) {
      return;
    }
    if (type instanceof Struct s) {
      require(v.isObject(), v, path, s.expected());
      checkStruct((ObjectNode) v, s, path + ".");
    } else if (type instanceof ArrayOf a) {
      require(v.isArray(), v, path, "an array");
      for (int i = 0; i < v.size(); i++) {
        JsonNode element = v.get(i);
        if (!element.isNull()) {
          require(element.isObject(), element, path + "[" + i + "]", a.element().expected());
          checkStruct((ObjectNode) element, a.element(), path + "[" + i + "].");
        }
      }
    } else {
      checkKind(v, (Kind) type, path);
    }
  }

  private static void checkKind(JsonNode v, Kind kind, String path) throws InvalidSegmentException {
    switch (kind) {
      case STRING -> require(v.isTextual(), v, path, "a string");
      case BOOL -> require(v.isBoolean(), v, path, "true or false");
      case FLOAT64 -> require(v.isNumber() && Double.isFinite(v.asDouble()), v, path, "epoch seconds");
      case INT64 -> require(v.isIntegralNumber() && v.canConvertToLong(), v, path, "an integer");
      case ANY -> any(v, path);
      case STRINGS -> {
        require(v.isArray(), v, path, "an array of strings");
        for (int i = 0; i < v.size(); i++) {
          require(v.get(i).isTextual() || v.get(i).isNull(), v.get(i), path + "[" + i + "]", "a string");
        }
      }
      case ANY_MAP -> {
        require(v.isObject(), v, path, "an object");
        any(v, path);
      }
      case METADATA -> {
        require(v.isObject(), v, path, "an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          // map[string]map[string]any: each namespace is an object
          require(e.getValue().isObject() || e.getValue().isNull(), e.getValue(), path + "." + e.getKey(),
              "an object");
          any(e.getValue(), path + "." + e.getKey());
        }
      }
      case CAUSE -> {
        require(v.isTextual() || v.isObject(), v, path, "an exception id string or a cause object");
        if (v.isObject()) {
          checkStruct((ObjectNode) v, CAUSE, path + ".");
        }
      }
      default -> throw new AssertionError(kind);
    }
  }

  /** Any JSON as Go's {@code any} decodes it: every number a float64, so none beyond its range. */
  private static void any(JsonNode v, String path) throws InvalidSegmentException {
    if (v.isNumber()) {
      require(Double.isFinite(v.asDouble()), v, path, "a number within float64's range");
    } else if (v.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        any(e.getValue(), path + "." + e.getKey());
      }
    } else if (v.isArray()) {
      for (int i = 0; i < v.size(); i++) {
        any(v.get(i), path + "[" + i + "]");
      }
    }
  }

  private static void require(boolean ok, JsonNode v, String path, String expected) throws InvalidSegmentException {
    if (!ok) {
      throw new InvalidSegmentException(path + ": " + describe(v) + " (expected: " + expected + ")");
    }
  }
}
