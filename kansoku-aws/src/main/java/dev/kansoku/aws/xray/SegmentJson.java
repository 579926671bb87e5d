package dev.kansoku.aws.xray;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.aws.json.GoJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a {@link Segment} as the collector's Go encoder would: members in the struct's order, map
 * keys sorted, numbers and strings in Go's form ({@link GoJson}: {@code 1700000000.123}, {@code 5}
 * for 5.0, {@code \\u0026} for {@code &}), and the same choice of which absent members are left out
 * and which are written as null or false, and the newline Go's {@code json.Encoder} ends each document
 * with. The documents therefore equal ADOT's byte for byte where the inputs allow (see RATIONALE).
 */
final class SegmentJson {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFactory FACTORY = MAPPER.getFactory();

  private SegmentJson() {}

  /** @throws IllegalArgumentException for a NaN or infinite number, which JSON cannot carry */
  static String write(Segment s) {
    SegmentedStringWriter out = new SegmentedStringWriter(new BufferRecycler());
    try (JsonGenerator g = FACTORY.createGenerator(out)) {
      g.setCharacterEscapes(GoJson.ESCAPES);
      g.writeStartObject();
      g.writeFieldName("name");
      stringOrNull(g, s.name);
      g.writeFieldName("id");
      stringOrNull(g, s.id);
      g.writeFieldName("start_time");
      number(g, s.startTime);
      if (s.service != null) {
        g.writeObjectFieldStart("service");
        optional(g, "version", s.service.version());
        g.writeEndObject();
      }
      optional(g, "origin", s.origin);
      optional(g, "user", s.user);
      if (s.links != null && !s.links.isEmpty()) {
        g.writeArrayFieldStart("links");
        for (Segment.Link l : s.links) {
          g.writeStartObject();
          g.writeStringField("trace_id", l.traceId());
          g.writeStringField("id", l.spanId());
          if (l.attributes() != null && !l.attributes().isEmpty()) {
            g.writeFieldName("attributes");
            value(g, l.attributes());
          }
          g.writeEndObject();
        }
        g.writeEndArray();
      }
      optional(g, "trace_id", s.traceId);
      if (s.inProgress) {
        // An open segment: X-Ray takes either end_time or in_progress.
        g.writeBooleanField("in_progress", true);
      } else {
        g.writeFieldName("end_time");
        number(g, s.endTime);
      }
      if (s.http != null) {
        http(g, s.http);
      }
      g.writeBooleanField("fault", s.fault);
      g.writeBooleanField("error", s.error);
      g.writeBooleanField("throttle", s.throttle);
      if (s.cause != null) {
        cause(g, s.cause);
      }
      if (s.aws != null) {
        aws(g, s.aws);
      }
      if (s.annotations != null && !s.annotations.isEmpty()) {
        g.writeFieldName("annotations");
        value(g, s.annotations);
      }
      if (s.metadata != null && !s.metadata.isEmpty()) {
        g.writeObjectFieldStart("metadata");
        for (Map.Entry<String, Map<String, Object>> ns : new TreeMap<>(s.metadata).entrySet()) {
          g.writeFieldName(ns.getKey());
          value(g, ns.getValue());
        }
        g.writeEndObject();
      }
      optional(g, "namespace", s.namespace);
      optional(g, "parent_id", s.parentId);
      optional(g, "type", s.type);
      if (s.sql != null) {
        Segment.Sql q = s.sql;
        g.writeObjectFieldStart("sql");
        optional(g, "connection_string", q.connectionString());
        optional(g, "url", q.url());
        optional(g, "sanitized_query", q.sanitizedQuery());
        optional(g, "database_type", q.databaseType());
        optional(g, "user", q.user());
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      // Go's json.Encoder ends every document with a newline, which ADOT sends as part of it.
      return out.getAndClear() + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void http(JsonGenerator g, Segment.Http h) throws IOException {
    g.writeObjectFieldStart("http");
    g.writeObjectFieldStart("request");
    if (h.xForwardedFor != null) {
      g.writeBooleanField("x_forwarded_for", h.xForwardedFor);
    }
    optional(g, "method", h.method);
    optional(g, "url", h.url);
    optional(g, "user_agent", h.userAgent);
    optional(g, "client_ip", h.clientIp);
    g.writeEndObject();
    g.writeObjectFieldStart("response");
    if (h.status != null) {
      g.writeNumberField("status", h.status);
    }
    // The collector always sets content_length, 0 when unknown.
    g.writeNumberField("content_length", h.contentLength);
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void cause(JsonGenerator g, Segment.Cause c) throws IOException {
    g.writeObjectFieldStart("cause");
    if (!c.exceptions.isEmpty()) {
      g.writeArrayFieldStart("exceptions");
      for (Segment.Exception e : c.exceptions) {
        g.writeStartObject();
        optional(g, "id", e.id);
        // message and type are written even when empty, as the collector does.
        if (e.message != null) {
          g.writeStringField("message", e.message);
        }
        if (e.type != null) {
          g.writeStringField("type", e.type);
        }
        if (e.remote != null) {
          g.writeBooleanField("remote", e.remote);
        }
        optional(g, "cause", e.cause);
        if (e.stack != null && !e.stack.isEmpty()) {
          g.writeArrayFieldStart("stack");
          for (Segment.StackFrame f : e.stack) {
            g.writeStartObject();
            g.writeStringField("path", f.path());
            g.writeNumberField("line", f.line());
            g.writeStringField("label", f.label());
            g.writeEndObject();
          }
          g.writeEndArray();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void aws(JsonGenerator g, Segment.Aws a) throws IOException {
    g.writeObjectFieldStart("aws");
    if (a.beanstalk != null) {
      g.writeObjectFieldStart("elastic_beanstalk");
      nullable(g, "environment_name", a.beanstalk.environmentName());
      nullable(g, "version_label", a.beanstalk.versionLabel());
      g.writeNumberField("deployment_id", a.beanstalk.deploymentId());
      g.writeEndObject();
    }
    if (a.cloudwatchLogs != null && !a.cloudwatchLogs.isEmpty()) {
      g.writeArrayFieldStart("cloudwatch_logs");
      for (Segment.LogGroup lg : a.cloudwatchLogs) {
        g.writeStartObject();
        nullable(g, "log_group", lg.logGroup());
        optional(g, "arn", lg.arn());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    if (a.ecs != null) {
      Segment.Ecs e = a.ecs;
      g.writeObjectFieldStart("ecs");
      optional(g, "container", e.container());
      optional(g, "container_id", e.containerId());
      optional(g, "task_arn", e.taskArn());
      optional(g, "task_family", e.taskFamily());
      optional(g, "cluster_arn", e.clusterArn());
      optional(g, "container_arn", e.containerArn());
      optional(g, "availability_zone", e.availabilityZone());
      optional(g, "launch_type", e.launchType());
      g.writeEndObject();
    }
    if (a.ec2 != null) {
      g.writeObjectFieldStart("ec2");
      nullable(g, "instance_id", a.ec2.instanceId());
      nullable(g, "availability_zone", a.ec2.availabilityZone());
      nullable(g, "instance_size", a.ec2.instanceSize());
      nullable(g, "ami_id", a.ec2.amiId());
      g.writeEndObject();
    }
    if (a.eks != null) {
      g.writeObjectFieldStart("eks");
      nullable(g, "cluster_name", a.eks.clusterName());
      nullable(g, "pod", a.eks.pod());
      nullable(g, "container_id", a.eks.containerId());
      g.writeEndObject();
    }
    if (a.xray != null) {
      g.writeObjectFieldStart("xray");
      optional(g, "sdk", a.xray.sdk());
      optional(g, "sdk_version", a.xray.sdkVersion());
      g.writeBooleanField("auto_instrumentation", a.xray.autoInstrumentation());
      g.writeEndObject();
    }
    optional(g, "account_id", a.accountId);
    optional(g, "operation", a.operation);
    optional(g, "region", a.region);
    optional(g, "request_id", a.requestId);
    optional(g, "queue_url", a.queueUrl);
    optional(g, "table_name", a.tableName);
    if (a.tableNames != null && !a.tableNames.isEmpty()) {
      g.writeArrayFieldStart("table_names");
      for (String t : a.tableNames) {
        g.writeString(t);
      }
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void optional(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  private static void nullable(JsonGenerator g, String name, String value) throws IOException {
    g.writeFieldName(name);
    stringOrNull(g, value);
  }

  private static void stringOrNull(JsonGenerator g, String value) throws IOException {
    if (value == null) {
      g.writeNull();
    } else {
      g.writeString(value);
    }
  }

  /** Writes a raw attribute value ({@link Attrs#raw}) or parsed metadata JSON. */
  @SuppressWarnings("unchecked")
  private static void value(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      number(g, d);
    } else if (v instanceof Boolean b) {
      g.writeBoolean(b);
    } else if (v instanceof byte[] bytes) {
      // Go's encoder writes []byte as standard base64.
      g.writeString(Base64.getEncoder().encodeToString(bytes));
    } else if (v instanceof List<?> list) {
      g.writeStartArray();
      for (Object e : list) {
        value(g, e);
      }
      g.writeEndArray();
    } else if (v instanceof Map<?, ?> map) {
      g.writeStartObject();
      Map<String, Object> sorted = map instanceof TreeMap<?, ?> ? (Map<String, Object>) map
          : new TreeMap<>((Map<String, Object>) map);
      for (Map.Entry<String, Object> e : sorted.entrySet()) {
        g.writeFieldName(e.getKey());
        value(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof JsonNode node) {
      goValue(g, node);
    } else {
      throw new IllegalStateException("unexpected value type " + v.getClass());
    }
  }

  /**
   * Parsed metadata as Go re-encodes what it decoded into {@code map[string]any}: every number a
   * float64, object keys sorted.
   */
  private static void goValue(JsonGenerator g, JsonNode node) throws IOException {
    if (node.isObject()) {
      g.writeStartObject();
      Map<String, JsonNode> sorted = new TreeMap<>();
      node.fields().forEachRemaining(e -> sorted.put(e.getKey(), e.getValue()));
      for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
        g.writeFieldName(e.getKey());
        goValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (node.isArray()) {
      g.writeStartArray();
      for (JsonNode e : node) {
        goValue(g, e);
      }
      g.writeEndArray();
    } else if (node.isNumber()) {
      number(g, node.doubleValue());
    } else if (node.isTextual()) {
      g.writeString(node.textValue());
    } else if (node.isBoolean()) {
      g.writeBoolean(node.booleanValue());
    } else {
      g.writeNull();
    }
  }

  private static void number(JsonGenerator g, double d) throws IOException {
    g.writeNumber(GoJson.formatFloat(d));
  }
}
