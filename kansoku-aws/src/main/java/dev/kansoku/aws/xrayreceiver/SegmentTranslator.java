package dev.kansoku.aws.xrayreceiver;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * One X-Ray segment document (a segment with its embedded subsegments, or one independent
 * subsegment) to OTLP spans, mapped as the collector's awsxrayreceiver maps it, so that the
 * {@code awsxray} exporter turns the spans back into the same document.
 *
 * <p>The resource describes the service of the document (its name, the {@code aws} block's EC2 / ECS
 * / Beanstalk / EKS / CloudWatch Logs fields, the SDK); every segment and subsegment becomes one span
 * of one scope, parent before children. Departures from the reference, each for a reason given where
 * it happens: {@code fault}/{@code error}/{@code throttle} set an error status, {@code origin} sets
 * {@code cloud.platform}, integral annotations stay integers, exception events carry the span's end
 * time, the {@code local} namespace is accepted, and a malformed embedded subsegment is an error
 * rather than a crash.
 *
 * <p>Stateless and thread-safe.
 */
final class SegmentTranslator {
  // The document's own JSON; trailing garbage after it is a broken datagram, not a second document.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  // Metadata values become JSON strings with sorted keys, as Go's encoding/json writes maps.
  private static final ObjectMapper SORTED = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .build();
  private static final Pattern TRACE_ID = Pattern.compile("1-([0-9a-fA-F]{8})-([0-9a-fA-F]{24})");
  private static final Pattern SPAN_ID = Pattern.compile("[0-9a-fA-F]{16}");
  // protocol+transport://host:port/dbName?queryParam, as the exporter writes sql.url.
  private static final Pattern SQL_URL = Pattern.compile("^(.+//.+)/([^?]+)\\??.*$");
  private static final HexFormat HEX = HexFormat.of();
  private static final double TWO_POW_63 = 0x1p63;
  private static final double TWO_POW_64 = 0x1p64;

  static final String ANNOTATIONS_KEY = "aws.xray.annotations";
  static final String METADATA_PREFIX = "aws.xray.metadata.";

  private SegmentTranslator() {}

  /** The spans of the document in {@code data[offset..offset+length)}, under one resource. */
  static ResourceSpans translate(byte[] data, int offset, int length) throws InvalidSegmentException {
    JsonNode doc;
    try {
      doc = MAPPER.readTree(data, offset, length);
    } catch (JsonProcessingException e) {
      throw new InvalidSegmentException("segment document is not JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new InvalidSegmentException("segment document is not JSON: " + e.getMessage(), e);
    }
    if (doc == null || !doc.isObject()) {
      throw new InvalidSegmentException("segment document: " + describe(doc) + " (expected: a JSON object)");
    }
    return translate(doc);
  }

  static ResourceSpans translate(JsonNode doc) throws InvalidSegmentException {
    // The root and an independent subsegment must say which trace they belong to; embedded
    // subsegments inherit it.
    String traceId = str(doc, "trace_id", "");
    if (traceId == null) {
      throw new InvalidSegmentException("trace_id: missing (expected: 1-<8 hex digits>-<24 hex digits>)");
    }
    ByteString traceIdBytes = traceId(traceId, "trace_id");
    boolean independentSubsegment = doc.hasNonNull("parent_id") && "subsegment".equalsIgnoreCase(str(doc, "type", ""));
    List<Span> spans = new ArrayList<>();
    addSpans(doc, "", traceIdBytes, null, independentSubsegment, spans);
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(keyValues(resource(doc))))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
        .build();
  }

  private static void addSpans(JsonNode seg, String path, ByteString traceId, @Nullable ByteString parentId,
      boolean isSubsegment, List<Span> out) throws InvalidSegmentException {
    out.add(span(seg, path, traceId, parentId, isSubsegment));
    JsonNode subsegments = seg.get("subsegments");
    if (subsegments == null || subsegments.isNull()) {
      return;
    }
    if (!subsegments.isArray()) {
      throw new InvalidSegmentException(path + "subsegments: " + describe(subsegments) + " (expected: an array)");
    }
    ByteString id = spanId(str(seg, "id", path), path + "id");
    for (int i = 0; i < subsegments.size(); i++) {
      String childPath = path + "subsegments[" + i + "].";
      JsonNode child = subsegments.get(i);
      if (!child.isObject()) {
        throw new InvalidSegmentException(childPath.substring(0, childPath.length() - 1) + ": " + describe(child)
            + " (expected: a subsegment object)");
      }
      addSpans(child, childPath, traceId, id, true, out);
    }
  }

  private static Span span(JsonNode seg, String path, ByteString rootTraceId, @Nullable ByteString parentId,
      boolean isSubsegment) throws InvalidSegmentException {
    String name = required(str(seg, "name", path), path + "name", "a string");
    String id = required(str(seg, "id", path), path + "id", "16 hex digits");
    Double start = number(seg, "start_time", path);
    if (start == null) {
      throw new InvalidSegmentException(path + "start_time: missing (expected: epoch seconds, e.g. 1596648396.64)");
    }
    Span.Builder span = Span.newBuilder().setName(name);
    Map<String, AnyValue> attrs = new LinkedHashMap<>();

    String traceId = str(seg, "trace_id", path);
    span.setTraceId(traceId == null ? rootTraceId : traceId(traceId, path + "trace_id"));
    span.setSpanId(spanId(id, path + "id"));
    if (parentId != null) {
      span.setParentSpanId(parentId);
    } else {
      String parent = str(seg, "parent_id", path);
      if (parent != null) {
        span.setParentSpanId(spanId(parent, path + "parent_id"));
      }
    }
    span.setKind(kind(seg, path, name, isSubsegment, attrs));
    long startNanos = nanos(start, path + "start_time");
    span.setStartTimeUnixNano(startNanos);
    Double end = number(seg, "end_time", path);
    long endNanos = end == null ? 0 : nanos(end, path + "end_time");
    span.setEndTimeUnixNano(endNanos);
    putBool(attrs, "aws.xray.inprogress", bool(seg, "in_progress", path));
    putStr(attrs, "enduser.id", str(seg, "user", path));

    Status.StatusCode status = http(seg, path, attrs);
    String statusMessage = "";
    JsonNode cause = seg.get("cause");
    if (cause != null && !cause.isNull()) {
      // A cause means the call failed even when no HTTP status says so (the status may sit in a
      // subsegment), as in the reference.
      status = Status.StatusCode.STATUS_CODE_ERROR;
      if (cause.isTextual()) {
        // Only an exception id, pointing at an exception recorded in another (sub)segment.
        statusMessage = cause.asText();
      } else if (cause.isObject()) {
        long eventTime = end != null ? endNanos : startNanos;
        for (Span.Event event : exceptionEvents(cause, path + "cause.", eventTime)) {
          span.addEvents(event);
        }
      } else {
        throw new InvalidSegmentException(path + "cause: " + describe(cause)
            + " (expected: an exception id string or a cause object)");
      }
    }
    // Not in the reference, which reads the status only from HTTP and cause: a segment that says
    // fault/error/throttle without either would otherwise arrive as a success.
    if (Boolean.TRUE.equals(bool(seg, "fault", path)) || Boolean.TRUE.equals(bool(seg, "error", path))
        || Boolean.TRUE.equals(bool(seg, "throttle", path))) {
      status = Status.StatusCode.STATUS_CODE_ERROR;
    }
    if (status != Status.StatusCode.STATUS_CODE_UNSET || !statusMessage.isEmpty()) {
      span.setStatus(Status.newBuilder().setCode(status).setMessage(statusMessage));
    }

    aws(seg, path, attrs);
    sql(seg, path, attrs);
    putBool(attrs, "aws.xray.traced", bool(seg, "traced", path));
    annotations(seg, path, attrs);
    metadata(seg, path, attrs);
    return span.addAllAttributes(keyValues(attrs)).build();
  }

  /**
   * Server for a segment (or a subsegment that saw a client IP), client for a call to an AWS service
   * or a remote one, internal for the rest, as the reference decides.
   */
  private static Span.SpanKind kind(JsonNode seg, String path, String name, boolean isSubsegment,
      Map<String, AnyValue> attrs) throws InvalidSegmentException {
    Span.SpanKind kind = Span.SpanKind.SPAN_KIND_UNSPECIFIED;
    JsonNode request = seg.path("http").path("request");
    if (request.hasNonNull("client_ip")) {
      kind = Span.SpanKind.SPAN_KIND_SERVER;
    }
    String namespace = str(seg, "namespace", path);
    if (namespace == null || namespace.equals("local")) {
      // "local" marks work inside the service; newer SDKs write it, so it is not an error.
      if (kind == Span.SpanKind.SPAN_KIND_UNSPECIFIED) {
        kind = Span.SpanKind.SPAN_KIND_INTERNAL;
      }
    } else if (namespace.equals("aws")) {
      kind = Span.SpanKind.SPAN_KIND_CLIENT;
      attrs.put("aws.service", str(name));
    } else if (namespace.equals("remote")) {
      kind = Span.SpanKind.SPAN_KIND_CLIENT;
    } else {
      throw new InvalidSegmentException(path + "namespace: \"" + namespace + "\" (expected: aws, remote or local)");
    }
    return isSubsegment ? kind : Span.SpanKind.SPAN_KIND_SERVER;
  }

  private static Status.StatusCode http(JsonNode seg, String path, Map<String, AnyValue> attrs)
      throws InvalidSegmentException {
    JsonNode http = object(seg, "http", path);
    if (http == null) {
      return Status.StatusCode.STATUS_CODE_UNSET;
    }
    String p = path + "http.";
    JsonNode request = object(http, "request", p);
    if (request != null) {
      String rp = p + "request.";
      putStr(attrs, "http.method", str(request, "method", rp));
      putStr(attrs, "http.client_ip", str(request, "client_ip", rp));
      putStr(attrs, "http.user_agent", str(request, "user_agent", rp));
      putStr(attrs, "http.url", str(request, "url", rp));
      putBool(attrs, "aws.xray.x_forwarded_for", bool(request, "x_forwarded_for", rp));
    }
    Status.StatusCode code = Status.StatusCode.STATUS_CODE_UNSET;
    JsonNode response = object(http, "response", p);
    if (response != null) {
      String rp = p + "response.";
      Long status = integer(response, "status", rp);
      if (status != null) {
        // OpenTelemetry's HTTP convention: 1xx-3xx leave the status unset, anything else is an error.
        code = status >= 100 && status < 400 ? Status.StatusCode.STATUS_CODE_UNSET : Status.StatusCode.STATUS_CODE_ERROR;
        attrs.put("http.status_code", integer(status));
      }
      JsonNode length = response.get("content_length");
      if (length != null && length.isNumber()) {
        attrs.put("http.response_content_length", integer(length.asLong()));
      } else if (length != null && length.isTextual()) {
        // Some SDKs write the header value as it came; the reference keeps it as a string.
        attrs.put("http.response_content_length", str(length.asText()));
      }
    }
    return code;
  }

  private static List<Span.Event> exceptionEvents(JsonNode cause, String path, long timeNanos)
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
      if (!frame.isObject()) {
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

  private static void aws(JsonNode seg, String path, Map<String, AnyValue> attrs) throws InvalidSegmentException {
    JsonNode aws = object(seg, "aws", path);
    if (aws == null) {
      return;
    }
    String p = path + "aws.";
    putStr(attrs, "aws.account_id", str(aws, "account_id", p));
    putStr(attrs, "aws.operation", str(aws, "operation", p));
    putStr(attrs, "aws.region", str(aws, "region", p));
    putStr(attrs, "aws.request_id", str(aws, "request_id", p));
    putStr(attrs, "aws.queue_url", str(aws, "queue_url", p));
    putStr(attrs, "aws.table_name", str(aws, "table_name", p));
    putInt(attrs, "aws.xray.retries", integer(aws, "retries", p));
  }

  private static void sql(JsonNode seg, String path, Map<String, AnyValue> attrs) throws InvalidSegmentException {
    JsonNode sql = object(seg, "sql", path);
    if (sql == null) {
      return;
    }
    String p = path + "sql.";
    String url = str(sql, "url", p);
    if (url != null) {
      Matcher m = SQL_URL.matcher(url);
      if (!m.matches()) {
        throw new InvalidSegmentException(p + "url: \"" + url + "\" has no database name (expected:"
            + " protocol://host[:port]/database)");
      }
      attrs.put("db.connection_string", str(m.group(1)));
      attrs.put("db.name", str(m.group(2)));
    }
    putStr(attrs, "db.system", str(sql, "database_type", p));
    putStr(attrs, "db.statement", str(sql, "sanitized_query", p));
    putStr(attrs, "db.user", str(sql, "user", p));
  }

  /**
   * Annotations become attributes of their own name, and {@code aws.xray.annotations} lists them so
   * the exporter writes them back as annotations rather than metadata. Values other than strings,
   * numbers and booleans cannot be annotations and are dropped, as in the reference.
   */
  private static void annotations(JsonNode seg, String path, Map<String, AnyValue> attrs)
      throws InvalidSegmentException {
    JsonNode annotations = object(seg, "annotations", path);
    if (annotations == null) {
      return;
    }
    ArrayValue.Builder keys = ArrayValue.newBuilder();
    Map<String, AnyValue> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = annotations.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      AnyValue value;
      if (v.isTextual()) {
        value = str(v.asText());
      } else if (v.isBoolean()) {
        value = AnyValue.newBuilder().setBoolValue(v.asBoolean()).build();
      } else if (v.isIntegralNumber() && v.canConvertToLong()) {
        // The reference decodes every JSON number as a float; an integer annotation stays an integer
        // here, which is what the SDK recorded.
        value = integer(v.asLong());
      } else if (v.isNumber()) {
        value = AnyValue.newBuilder().setDoubleValue(v.asDouble()).build();
      } else {
        continue;
      }
      keys.addValues(str(e.getKey()));
      values.put(e.getKey(), value);
    }
    if (keys.getValuesCount() > 0) {
      attrs.put(ANNOTATIONS_KEY, AnyValue.newBuilder().setArrayValue(keys).build());
      attrs.putAll(values);
    }
  }

  /** Each metadata namespace becomes one attribute holding the namespace's object as JSON. */
  private static void metadata(JsonNode seg, String path, Map<String, AnyValue> attrs)
      throws InvalidSegmentException {
    JsonNode metadata = object(seg, "metadata", path);
    if (metadata == null) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      try {
        Object value = SORTED.treeToValue(e.getValue(), Object.class);
        attrs.put(METADATA_PREFIX + e.getKey(), str(SORTED.writeValueAsString(value)));
      } catch (JsonProcessingException ex) {
        throw new InvalidSegmentException(path + "metadata." + e.getKey() + ": cannot be written as JSON", ex);
      }
    }
  }

  private static Map<String, AnyValue> resource(JsonNode doc) throws InvalidSegmentException {
    Map<String, AnyValue> attrs = new LinkedHashMap<>();
    putStr(attrs, "service.name", str(doc, "name", ""));
    JsonNode aws = object(doc, "aws", "");
    if (aws == null) {
      // Not sent by an AWS-hosted SDK, as far as the document tells.
      attrs.put("cloud.provider", str("unknown"));
    } else {
      attrs.put("cloud.provider", str("aws"));
      putStr(attrs, "cloud.account.id", str(aws, "account_id", "aws."));
      JsonNode logs = aws.get("cloudwatch_logs");
      if (logs != null && logs.isArray()) {
        for (int i = 0; i < logs.size(); i++) {
          String lp = "aws.cloudwatch_logs[" + i + "].";
          appendStr(attrs, "aws.log.group.arns", str(logs.get(i), "arn", lp));
          appendStr(attrs, "aws.log.group.names", str(logs.get(i), "log_group", lp));
        }
      }
      JsonNode ec2 = object(aws, "ec2", "aws.");
      if (ec2 != null) {
        putStr(attrs, "cloud.availability_zone", str(ec2, "availability_zone", "aws.ec2."));
        putStr(attrs, "host.id", str(ec2, "instance_id", "aws.ec2."));
        putStr(attrs, "host.type", str(ec2, "instance_size", "aws.ec2."));
        putStr(attrs, "host.image.id", str(ec2, "ami_id", "aws.ec2."));
      }
      JsonNode ecs = object(aws, "ecs", "aws.");
      if (ecs != null) {
        putStr(attrs, "container.name", str(ecs, "container", "aws.ecs."));
        putStr(attrs, "cloud.availability_zone", str(ecs, "availability_zone", "aws.ecs."));
        putStr(attrs, "container.id", str(ecs, "container_id", "aws.ecs."));
      }
      JsonNode beanstalk = object(aws, "elastic_beanstalk", "aws.");
      if (beanstalk != null) {
        String bp = "aws.elastic_beanstalk.";
        putStr(attrs, "service.namespace", str(beanstalk, "environment_name", bp));
        Long deployment = integer(beanstalk, "deployment_id", bp);
        putStr(attrs, "service.instance.id", deployment == null ? null : deployment.toString());
        putStr(attrs, "service.version", str(beanstalk, "version_label", bp));
      }
      JsonNode eks = object(aws, "eks", "aws.");
      if (eks != null) {
        putStr(attrs, "container.id", str(eks, "container_id", "aws.eks."));
        putStr(attrs, "k8s.cluster.name", str(eks, "cluster_name", "aws.eks."));
        putStr(attrs, "k8s.pod.name", str(eks, "pod", "aws.eks."));
      }
      JsonNode xray = object(aws, "xray", "aws.");
      if (xray != null) {
        putStr(attrs, "telemetry.sdk.version", str(xray, "sdk_version", "aws.xray."));
        String sdk = str(xray, "sdk", "aws.xray.");
        if (sdk != null) {
          attrs.put("telemetry.sdk.name", str(sdk));
          String language = null;
          if (hasExceptions(doc)) {
            // As the reference: the exporter renders exception.stacktrace in Java's layout whatever
            // the SDK, and reads the layout from this attribute.
            language = "java";
          } else if (sdk.contains("for ")) {
            language = sdk.substring(sdk.indexOf("for ") + 4); // "X-Ray for Go" -> Go
          }
          putStr(attrs, "telemetry.sdk.language", language);
        }
      }
    }
    // Not in the reference: the exporter derives origin from cloud.platform, so keeping it makes the
    // round trip lossless.
    String platform = platform(str(doc, "origin", ""));
    if (platform != null) {
      attrs.put("cloud.provider", str("aws"));
      attrs.put("cloud.platform", str(platform));
    }
    JsonNode service = object(doc, "service", "");
    if (service != null) {
      putStr(attrs, "service.version", str(service, "version", "service."));
    }
    putStr(attrs, "aws.xray.resource_arn", str(doc, "resource_arn", ""));
    return attrs;
  }

  private static boolean hasExceptions(JsonNode doc) {
    JsonNode exceptions = doc.path("cause").path("exceptions");
    return exceptions.isArray() && !exceptions.isEmpty();
  }

  @Nullable
  private static String platform(@Nullable String origin) {
    if (origin == null) {
      return null;
    }
    return switch (origin) {
      case "AWS::EC2::Instance" -> "aws_ec2";
      case "AWS::ECS::Container" -> "aws_ecs";
      case "AWS::EKS::Container" -> "aws_eks";
      case "AWS::ElasticBeanstalk::Environment" -> "aws_elastic_beanstalk";
      case "AWS::Lambda::Function" -> "aws_lambda";
      case "AWS::AppRunner::Service" -> "aws_app_runner";
      default -> null;
    };
  }

  /**
   * Epoch seconds with a fraction to nanoseconds, truncating as the reference does. OTLP times are
   * unsigned 64-bit, so times past 2262 keep their value as the unsigned bits of the long.
   */
  static long nanos(double epochSeconds, String path) throws InvalidSegmentException {
    double n = epochSeconds * 1e9;
    if (!(n >= 0) || n >= TWO_POW_64) {
      throw new InvalidSegmentException(path + ": " + epochSeconds + " (expected: epoch seconds from 0 to 1.8e10)");
    }
    return n < TWO_POW_63 ? (long) n : (long) (n - TWO_POW_63) ^ Long.MIN_VALUE;
  }

  static ByteString traceId(String xrayTraceId, String path) throws InvalidSegmentException {
    Matcher m = TRACE_ID.matcher(xrayTraceId);
    if (!m.matches()) {
      throw new InvalidSegmentException(path + ": \"" + xrayTraceId + "\" (expected: 1-<8 hex digits>-<24 hex"
          + " digits>, e.g. 1-5f84c7a1-e7d1852db8c4fd35d88bf49a)");
    }
    return ByteString.copyFrom(HEX.parseHex(m.group(1) + m.group(2)));
  }

  static ByteString spanId(String id, String path) throws InvalidSegmentException {
    if (!SPAN_ID.matcher(id).matches()) {
      throw new InvalidSegmentException(path + ": \"" + id + "\" (expected: 16 hex digits, e.g. 53995c3f42cd8ad8)");
    }
    return ByteString.copyFrom(HEX.parseHex(id));
  }

  // ---- typed access: absent and null are "not set"; a value of the wrong kind names its path.

  @Nullable
  private static String str(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: a string)");
    }
    return v.asText();
  }

  @Nullable
  private static Boolean bool(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isBoolean()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: true or false)");
    }
    return v.asBoolean();
  }

  @Nullable
  private static Long integer(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: an integer)");
    }
    return v.asLong();
  }

  @Nullable
  private static Double number(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: epoch seconds)");
    }
    return v.asDouble();
  }

  @Nullable
  private static JsonNode object(JsonNode obj, String field, String path) throws InvalidSegmentException {
    JsonNode v = obj.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isObject()) {
      throw new InvalidSegmentException(path + field + ": " + describe(v) + " (expected: an object)");
    }
    return v;
  }

  private static String required(@Nullable String value, String path, String expected) throws InvalidSegmentException {
    if (value == null) {
      throw new InvalidSegmentException(path + ": missing (expected: " + expected + ")");
    }
    return value;
  }

  private static String describe(@Nullable JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "nothing";
    }
    String s = v.toString();
    return s.length() > 60 ? s.substring(0, 60) + "…" : s;
  }

  // ---- attribute building

  private static AnyValue str(String s) {
    return AnyValue.newBuilder().setStringValue(s).build();
  }

  private static AnyValue integer(long v) {
    return AnyValue.newBuilder().setIntValue(v).build();
  }

  private static void putStr(Map<String, AnyValue> attrs, String key, @Nullable String value) {
    if (value != null) {
      attrs.put(key, str(value));
    }
  }

  private static void putBool(Map<String, AnyValue> attrs, String key, @Nullable Boolean value) {
    if (value != null) {
      attrs.put(key, AnyValue.newBuilder().setBoolValue(value).build());
    }
  }

  private static void putInt(Map<String, AnyValue> attrs, String key, @Nullable Long value) {
    if (value != null) {
      attrs.put(key, integer(value));
    }
  }

  /** Adds to a string-array attribute: several log groups make one list each of arns and names. */
  private static void appendStr(Map<String, AnyValue> attrs, String key, @Nullable String value) {
    if (value == null) {
      return;
    }
    AnyValue existing = attrs.get(key);
    ArrayValue.Builder array = existing != null && existing.hasArrayValue()
        ? existing.getArrayValue().toBuilder() : ArrayValue.newBuilder();
    attrs.put(key, AnyValue.newBuilder().setArrayValue(array.addValues(str(value))).build());
  }

  private static List<KeyValue> keyValues(Map<String, AnyValue> attrs) {
    List<KeyValue> out = new ArrayList<>(attrs.size());
    attrs.forEach((k, v) -> out.add(KeyValue.newBuilder().setKey(k).setValue(v).build()));
    return out;
  }
}
