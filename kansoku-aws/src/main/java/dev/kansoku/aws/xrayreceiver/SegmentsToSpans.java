package dev.kansoku.aws.xrayreceiver;

import static dev.kansoku.aws.xrayreceiver.SegmentFields.bool;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.describe;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.integer;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.keyValues;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.nanos;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.number;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.object;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.putBool;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.putInt;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.putStr;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.required;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.spanId;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.str;
import static dev.kansoku.aws.xrayreceiver.SegmentFields.traceId;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.kansoku.aws.json.GoJson;
import dev.kansoku.model.OtlpRules;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * X-Ray segment documents to OTLP spans: the one translator of both doors X-Ray data comes in by,
 * the {@code awsxray} receiver (the daemon's UDP port) and the endpoint's PutTraceSegments, so a
 * document is stored the same whichever way it came. One document (a segment with its embedded
 * subsegments, or one independent subsegment) becomes one resource ({@link SegmentResource}) with
 * one span per segment and subsegment, parent before children, mapped as the collector's
 * awsxrayreceiver maps it so that the {@code awsxray} exporter turns the spans back into the same
 * document.
 *
 * <p>Departures from the reference (kansoku-aws RATIONALE), each for a reason given where it happens:
 * an in-progress (sub)segment ends where it starts, {@code fault}/{@code error}/{@code throttle} set
 * an error status, {@code origin} sets {@code cloud.platform}, integral annotations stay integers,
 * exception events carry the span's end time, a malformed document or embedded subsegment is an
 * error naming the field where the reference may crash, and a document with a span that the model
 * refuses ({@link OtlpRules#span}) is refused whole.
 *
 * <p>Stateless and thread-safe.
 */
public final class SegmentsToSpans {
  // The document's own JSON; trailing garbage after it is a broken datagram, not a second document.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();
  // protocol+transport://host:port/dbName?queryParam or protocol+transport:dbName?queryParam, as the
  // reference's sql.go splits sql.url (the connection part loses its trailing slashes).
  private static final Pattern SQL_URL = Pattern.compile("^([^/]+:(?://[^/]+/)?)([^?]+)\\??.*$");
  private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");

  private static final ByteString NO_SPAN_ID = ByteString.copyFrom(new byte[8]);

  static final String ANNOTATIONS_KEY = "aws.xray.annotations";
  static final String METADATA_PREFIX = "aws.xray.metadata.";

  private SegmentsToSpans() {}

  /**
   * The spans of the document in {@code data[offset..offset+length)}, under one resource.
   *
   * @throws InvalidSegmentException naming the bad field when the document cannot become spans;
   *     sending it again cannot succeed
   */
  public static ResourceSpans translate(byte[] data, int offset, int length) throws InvalidSegmentException {
    JsonNode doc = parse(data, offset, length);
    if (!(doc instanceof ObjectNode root)) {
      throw new InvalidSegmentException("segment document: " + describe(doc) + " (expected: a JSON object)");
    }
    SegmentSchema.check(root);
    validate(root);
    return translate(root);
  }

  private static JsonNode parse(byte[] data, int offset, int length) throws InvalidSegmentException {
    try {
      return MAPPER.readTree(data, offset, length);
    } catch (IOException e) {
      // Go's decoder reads invalid UTF-8 in a string as U+FFFD where Jackson stops, so read it so too
      // (Java replaces a broken sequence where Go replaces each of its bytes).
      try {
        return MAPPER.readTree(new String(data, offset, length, StandardCharsets.UTF_8));
      } catch (IOException again) {
        String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
        throw new InvalidSegmentException("segment document is not JSON: " + why, e);
      }
    }
  }

  /**
   * The reference's Segment.Validate, in its order: the root and an independent subsegment must
   * have these, and say which trace they belong to (embedded subsegments inherit it).
   */
  private static void validate(JsonNode doc) throws InvalidSegmentException {
    required(str(doc, "name", ""), "name", "a string");
    required(str(doc, "id", ""), "id", "16 hex digits");
    startTime(doc, "");
    required(str(doc, "trace_id", ""), "trace_id", "1-<8 hex digits>-<24 hex digits>");
  }

  private static double startTime(JsonNode seg, String path) throws InvalidSegmentException {
    Double start = number(seg, "start_time", path);
    if (start == null) {
      throw new InvalidSegmentException(path + "start_time: missing (expected: epoch seconds, e.g. 1596648396.64)");
    }
    return start;
  }

  private static ResourceSpans translate(JsonNode doc) throws InvalidSegmentException {
    ByteString traceIdBytes = traceId(str(doc, "trace_id", ""), "trace_id");
    boolean independentSubsegment = doc.hasNonNull("parent_id") && "subsegment".equalsIgnoreCase(str(doc, "type", ""));
    List<Span> spans = new ArrayList<>();
    addSpans(doc, "", traceIdBytes, null, independentSubsegment, spans);
    return ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(keyValues(SegmentResource.attributes(doc))))
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
    double start = startTime(seg, path);
    Span.Builder span = Span.newBuilder().setName(name);
    Map<String, AnyValue> attrs = new LinkedHashMap<>();
    // The namespace first, as the reference reports a bad one before a bad id.
    span.setKind(kind(seg, path, name, isSubsegment, attrs));

    String traceId = str(seg, "trace_id", path);
    span.setTraceId(traceId == null ? rootTraceId : traceId(traceId, path + "trace_id"));
    span.setSpanId(spanId(id, path + "id"));
    ByteString parent = parentId;
    if (parent == null) {
      String independentParent = str(seg, "parent_id", path);
      parent = independentParent == null ? null : spanId(independentParent, path + "parent_id");
    }
    // As the reference: an all-zero parent id means no parent.
    if (parent != null && !parent.equals(NO_SPAN_ID)) {
      span.setParentSpanId(parent);
    }
    long startNanos = nanos(start, path + "start_time");
    span.setStartTimeUnixNano(startNanos);
    Double end = number(seg, "end_time", path);
    Boolean inProgress = bool(seg, "in_progress", path);
    long endNanos;
    if (end != null) {
      endNanos = nanos(end, path + "end_time");
    } else {
      // Not in the reference, which leaves the end at 0: a span may not end before it starts (the
      // store refuses it), and X-Ray keeps an in-progress segment until the complete one with the
      // same id replaces it. So it ends where it starts, and aws.xray.inprogress says why (for
      // IsPartial and the "partial" filter) even when the document said neither end_time nor
      // in_progress, as X-Ray asks for one of them.
      endNanos = startNanos;
      inProgress = true;
    }
    span.setEndTimeUnixNano(endNanos);
    putBool(attrs, "aws.xray.inprogress", inProgress);
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
        span.addAllEvents(SegmentCause.exceptionEvents(cause, path + "cause.", endNanos));
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
    Span built = span.addAllAttributes(keyValues(attrs)).build();
    // The model's own judgement, as the OTLP receiver applies it: what passes here is stored, so no
    // door accepts a document that the store then leaves out (all-zero ids, a parent that is the
    // span itself, an end before the start).
    String problem = OtlpRules.span(built);
    if (problem != null) {
      throw new InvalidSegmentException((path.isEmpty() ? "segment" : path.substring(0, path.length() - 1))
          + ": not a valid span: " + problem);
    }
    return built;
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
        // The reference's tracetranslator.StatusCodeFromHTTP: 100 to 398 leave the status unset (its
        // bound is 399, not 400), anything else is an error.
        code = status >= 100 && status < 399
            ? Status.StatusCode.STATUS_CODE_UNSET : Status.StatusCode.STATUS_CODE_ERROR;
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
        throw new InvalidSegmentException(p + "url: \"" + url + "\": failed to parse out the database name"
            + " (expected: protocol://host[:port]/database or protocol:database)");
      }
      attrs.put("db.connection_string", str(TRAILING_SLASHES.matcher(m.group(1)).replaceFirst("")));
      attrs.put("db.name", str(m.group(2)));
    }
    putStr(attrs, "db.system", str(sql, "database_type", p));
    putStr(attrs, "db.statement", str(sql, "sanitized_query", p));
    putStr(attrs, "db.user", str(sql, "user", p));
  }

  /**
   * Annotations become attributes of their own name, and {@code aws.xray.annotations} lists them so
   * the exporter writes them back as annotations rather than metadata. Values other than strings,
   * numbers and booleans cannot be annotations: as in the reference, their key is still listed but
   * they get no attribute.
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
        value = null;
      }
      keys.addValues(str(e.getKey()));
      if (value != null) {
        values.put(e.getKey(), value);
      }
    }
    if (keys.getValuesCount() > 0) {
      attrs.put(ANNOTATIONS_KEY, AnyValue.newBuilder().setArrayValue(keys).build());
      attrs.putAll(values);
    }
  }

  /**
   * Each metadata namespace becomes one attribute holding the namespace's object as Go's json.Marshal
   * writes it (sorted keys, numbers as float64, {@code <>&} escaped), the reference's bytes.
   */
  private static void metadata(JsonNode seg, String path, Map<String, AnyValue> attrs)
      throws InvalidSegmentException {
    JsonNode metadata = object(seg, "metadata", path);
    if (metadata == null) {
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = metadata.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      attrs.put(METADATA_PREFIX + e.getKey(), str(GoJson.write(e.getValue())));
    }
  }

}
