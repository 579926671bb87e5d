package dev.kansoku.awsapi.xray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.encoding.DecodingService;
import dev.kansoku.awsapi.WriteDoors;
import dev.kansoku.awsapi.aws.AwsTargetRouter;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.ServiceGraphBuilder;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import dev.kansoku.store.Trace;
import dev.kansoku.store.TraceFilter;
import dev.kansoku.store.TraceQuery;
import dev.kansoku.store.TraceSummary;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AWS X-Ray's restJson1 API on the kansoku endpoint: every operation is {@code POST /<Path>} with a
 * JSON body, PascalCase members and epoch-second doubles for times (see the service model). The read
 * handlers are thin: members → validated query objects ({@link FilterExpressions}, {@code TraceQuery})
 * → the store → {@link XrayJson}. A bad request is a 400 {@code InvalidRequestException} in the
 * restJson shape ({@code x-amzn-ErrorType} header, {@code message} body) naming the member.
 *
 * <p>PutTraceSegments ({@link PutTraceSegments}) does not write the store: it hands the segments to
 * the traces pipeline that a {@code kansoku} receiver attached to the endpoint's {@link WriteDoors}.
 */
public final class XrayApi {
  private static final Logger log = LoggerFactory.getLogger(XrayApi.class);
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final int DEFAULT_PAGE_SIZE = 100;
  /** Time slices GetTraceSummaries reads its window in, newest first; see getTraceSummaries. */
  static final int SLICES = 64;
  private static final String PUT_TRACE_SEGMENTS = "/TraceSegments";

  private final Storage storage;
  private final PutTraceSegments put;
  private final int pageSize;

  private XrayApi(Storage storage, WriteDoors doors, int pageSize) {
    this.storage = storage;
    this.put = new PutTraceSegments(doors);
    this.pageSize = pageSize;
  }

  /**
   * Binds the X-Ray routes on {@code sb}: the reads answer from {@code storage}, PutTraceSegments
   * delivers to the traces pipeline attached to {@code doors}.
   */
  public static XrayApi bind(ServerBuilder sb, Storage storage, WriteDoors doors) {
    XrayApi api = new XrayApi(storage, doors, DEFAULT_PAGE_SIZE);
    api.routes(sb);
    return api;
  }

  /** For tests of paging: the same routes with a smaller page. */
  static void bind(ServerBuilder sb, Storage storage, WriteDoors doors, int pageSize) {
    new XrayApi(storage, doors, pageSize).routes(sb);
  }

  private interface Handler {
    ObjectNode handle(XrayApi api, JsonNode body, AggregatedHttpRequest request);
  }

  /** X-Ray's restJson paths served here that answer from the store, each with its operation. */
  private static final Map<String, Handler> ROUTES = Map.of(
      "/TraceSummaries", (api, b, r) -> api.getTraceSummaries(b),
      "/Traces", (api, b, r) -> api.batchGetTraces(b),
      "/ServiceGraph", (api, b, r) -> api.getServiceGraph(b),
      "/TraceGraph", (api, b, r) -> api.getTraceGraph(b),
      "/GetSamplingRules", (api, b, r) -> Sampling.rules(region(r)),
      "/SamplingTargets", (api, b, r) -> Sampling.targets(b),
      "/TelemetryRecords", (api, b, r) -> {
        array(b, "TelemetryRecords"); // required by the model; the records themselves are not kept yet
        return MAPPER.createObjectNode();
      });

  /** The paths X-Ray clients post to (for routing and for the signature check). */
  public static final Set<String> PATHS = Stream.concat(ROUTES.keySet().stream(), Stream.of(PUT_TRACE_SEGMENTS))
      .collect(Collectors.toUnmodifiableSet());

  /** A client error: 400 InvalidRequestException with this message. */
  static final class InvalidRequest extends RuntimeException {
    InvalidRequest(String message) {
      super(message, null, false, false);
    }
  }

  private void routes(ServerBuilder sb) {
    ROUTES.forEach((path, handler) -> sb.route().post(path).requestTimeout(AwsTargetRouter.REQUEST_TIMEOUT)
        .decorator(DecodingService.newDecorator())
        .build((ctx, req) -> HttpResponse.of(req.aggregate().thenApplyAsync(agg -> serve(handler, agg),
            ctx.blockingTaskExecutor()))));
    // PutTraceSegments asks the pipeline's memory_limiter before it reads the body, so it aggregates itself.
    sb.route().post(PUT_TRACE_SEGMENTS).requestTimeout(AwsTargetRouter.REQUEST_TIMEOUT)
        .decorator(DecodingService.newDecorator()).build(put::serve);
  }

  /**
   * Answers one of the two sampling calls outside the HTTP endpoint, exactly as the endpoint does
   * (the awsxray receiver's TCP sampling port asks here).
   */
  public AggregatedHttpResponse answerSampling(String path, byte[] body) {
    if (!path.equals("/GetSamplingRules") && !path.equals("/SamplingTargets")) {
      throw new IllegalArgumentException("not a sampling path: " + path);
    }
    AggregatedHttpRequest req = AggregatedHttpRequest.of(RequestHeaders.of(HttpMethod.POST, path,
        HttpHeaderNames.CONTENT_TYPE, MediaType.JSON.toString()), HttpData.wrap(body));
    return serve(ROUTES.get(path), req).aggregate().join();
  }

  private HttpResponse serve(Handler handler, AggregatedHttpRequest req) {
    try {
      return json(handler.handle(this, body(req), req));
    } catch (InvalidRequest | IllegalArgumentException e) {
      return error(HttpStatus.BAD_REQUEST, "InvalidRequestException", e.getMessage());
    } catch (StorageException e) {
      log.warn("X-Ray API: store failed: {}", e.toString());
      // 5xx: the SDKs and ADOT retry it, which is right for a store that may recover.
      return error(HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailableException", "store unavailable: " + e.getMessage());
    }
  }

  /** The request's JSON object; an empty body is an empty object. */
  static JsonNode body(AggregatedHttpRequest req) {
    JsonNode body;
    String text = req.content().toString(StandardCharsets.UTF_8);
    try {
      body = text.isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidRequest("request body is not JSON: " + e.getOriginalMessage());
    }
    if (body == null || !body.isObject()) {
      throw new InvalidRequest("request body: expected a JSON object");
    }
    return body;
  }

  static HttpResponse json(ObjectNode body) {
    try {
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(MediaType.JSON)
          .add(HttpHeaderNames.of("x-amzn-requestid"), UUID.randomUUID().toString()).build(),
          HttpData.wrap(MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** restJson1's error shape; both casings of the message member, as X-Ray's shapes use {@code Message}. */
  static HttpResponse error(HttpStatus status, String type, String message) {
    return error(status, type, message, null);
  }

  /** The error shape with a {@code Retry-After} header (whole seconds, rounded up) when known. */
  static HttpResponse error(HttpStatus status, String type, String message, @Nullable Duration retryAfter) {
    ObjectNode body = MAPPER.createObjectNode().put("message", message).put("Message", message);
    ResponseHeadersBuilder headers = ResponseHeaders.builder(status).contentType(MediaType.JSON)
        .add(HttpHeaderNames.of("x-amzn-errortype"), type)
        .add(HttpHeaderNames.of("x-amzn-requestid"), UUID.randomUUID().toString());
    if (retryAfter != null) {
      headers.add(HttpHeaderNames.RETRY_AFTER, Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
    }
    try {
      return HttpResponse.of(headers.build(), HttpData.wrap(MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- GetTraceSummaries ----------------------------------------------------------------------

  private ObjectNode getTraceSummaries(JsonNode body) {
    long start = epochNanos(body, "StartTime");
    long end = epochNanos(body, "EndTime");
    if (end < start) {
      throw new InvalidRequest("EndTime " + body.get("EndTime").asText() + " is before StartTime "
          + body.get("StartTime").asText());
    }
    String rangeType = optionalText(body, "TimeRangeType");
    if (rangeType != null && !List.of("TraceId", "Event", "Service").contains(rangeType)) {
      throw new InvalidRequest("TimeRangeType: \"" + rangeType + "\" (expected: TraceId, Event or Service)");
    }
    // Every range type is answered by trace start time: the store indexes traces by their start.
    TraceFilter where = FilterExpressions.compile(optionalText(body, "FilterExpression"));
    int offset = pageToken(body);
    int want = Math.addExact(offset, pageSize + 1);
    // A store finds the newest traces of a window by reading all of them; newest-first slices of the
    // window let a page stop after the slices that fill it (slices split by trace start: no overlap).
    List<TraceSummary> found = new ArrayList<>();
    long width = Math.max(1, (end - start + SLICES - 1) / SLICES);
    for (long sliceEnd = end; sliceEnd > start && found.size() < want; sliceEnd -= width) {
      TraceQuery.Builder q = TraceQuery.builder().window(Math.max(start, sliceEnd - width), sliceEnd)
          .order(TraceQuery.Order.NEWEST_FIRST).limit(want - found.size());
      if (where != null) {
        q.where(where);
      }
      found.addAll(storage.traceSearch().search(q.build()));
    }
    List<TraceSummary> page = found.subList(Math.min(offset, found.size()), Math.min(offset + pageSize, found.size()));
    Map<TraceId, Trace> traces = new HashMap<>();
    storage.traceReader().traces(page.stream().map(TraceSummary::traceId).toList())
        .forEach(t -> traces.put(t.traceId(), t));
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode summaries = out.putArray("TraceSummaries");
    for (TraceSummary s : page) {
      summaries.add(XrayJson.summary(s, traces.get(s.traceId())));
    }
    out.put("ApproximateTime", System.currentTimeMillis() / 1000.0);
    out.put("TracesProcessedCount", (long) found.size());
    if (found.size() > offset + pageSize) {
      out.put("NextToken", Integer.toString(offset + pageSize));
    }
    return out;
  }

  // --- BatchGetTraces -------------------------------------------------------------------------

  private ObjectNode batchGetTraces(JsonNode body) {
    List<String> ids = traceIdTexts(body);
    int offset = pageToken(body);
    List<String> page = ids.subList(Math.min(offset, ids.size()), Math.min(offset + pageSize, ids.size()));
    ObjectNode out = MAPPER.createObjectNode();
    ArrayNode traces = out.putArray("Traces");
    ArrayNode unprocessed = out.putArray("UnprocessedTraceIds");
    for (String text : page) {
      TraceId id;
      try {
        id = TraceId.parse(text);
      } catch (IllegalArgumentException e) {
        unprocessed.add(text);
        continue;
      }
      var trace = storage.traceReader().trace(id);
      if (trace.isEmpty()) {
        unprocessed.add(text);
      } else {
        traces.add(XrayJson.trace(trace.get(), text));
      }
    }
    if (ids.size() > offset + pageSize) {
      out.put("NextToken", Integer.toString(offset + pageSize));
    }
    return out;
  }

  // --- GetServiceGraph / GetTraceGraph ----------------------------------------------------------

  private ObjectNode getServiceGraph(JsonNode body) {
    long start = epochNanos(body, "StartTime");
    long end = epochNanos(body, "EndTime");
    if (end < start) {
      throw new InvalidRequest("EndTime " + body.get("EndTime").asText() + " is before StartTime "
          + body.get("StartTime").asText());
    }
    ObjectNode out = XrayJson.graph(storage.serviceGraph().graph(start, end));
    out.put("StartTime", start / 1e9).put("EndTime", end / 1e9).put("ContainsOldGroupVersions", false);
    return out;
  }

  private ObjectNode getTraceGraph(JsonNode body) {
    List<TraceId> ids = new ArrayList<>();
    for (String text : traceIdTexts(body)) {
      try {
        ids.add(TraceId.parse(text));
      } catch (IllegalArgumentException e) {
        throw new InvalidRequest("TraceIds: " + e.getMessage());
      }
    }
    List<Trace> traces = storage.traceReader().traces(ids);
    long start = traces.stream().mapToLong(Trace::startNanos).min().orElse(0);
    ServiceGraphBuilder g = new ServiceGraphBuilder(start, Long.MAX_VALUE);
    traces.forEach(g::add);
    return XrayJson.graph(g.build());
  }

  // --- members ----------------------------------------------------------------------------------

  private static List<String> traceIdTexts(JsonNode body) {
    List<String> ids = new ArrayList<>();
    for (JsonNode n : array(body, "TraceIds")) {
      if (!n.isTextual()) {
        throw new InvalidRequest("TraceIds: " + n + " (expected: trace id strings)");
      }
      ids.add(n.asText());
    }
    return List.copyOf(new LinkedHashSet<>(ids));
  }

  static ArrayNode array(JsonNode body, String member) {
    JsonNode n = body.get(member);
    if (n == null || n.isNull()) {
      throw new InvalidRequest(member + ": missing (required)");
    }
    if (!n.isArray()) {
      throw new InvalidRequest(member + ": " + n.getNodeType() + " (expected: a list)");
    }
    return (ArrayNode) n;
  }

  private static long epochNanos(JsonNode body, String member) {
    JsonNode n = body.get(member);
    if (n == null || n.isNull()) {
      throw new InvalidRequest(member + ": missing (required; epoch seconds)");
    }
    double seconds;
    if (n.isNumber()) {
      seconds = n.asDouble();
    } else {
      throw new InvalidRequest(member + ": " + n + " (expected: epoch seconds as a number)");
    }
    if (!(seconds >= 0) || seconds > 9e9) {
      throw new InvalidRequest(member + ": " + n + " (expected: epoch seconds between 0 and 9e9)");
    }
    return Math.round(seconds * 1e6) * 1000L; // microsecond precision is all a double of this size holds
  }

  private static String optionalText(JsonNode body, String member) {
    JsonNode n = body.get(member);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isTextual()) {
      throw new InvalidRequest(member + ": " + n + " (expected: a string)");
    }
    return n.asText();
  }

  private static int pageToken(JsonNode body) {
    String token = optionalText(body, "NextToken");
    if (token == null || token.isEmpty()) {
      return 0;
    }
    try {
      int offset = Integer.parseInt(token);
      if (offset < 0) {
        throw new NumberFormatException();
      }
      return offset;
    } catch (NumberFormatException e) {
      throw new InvalidRequest("NextToken: \"" + token + "\" is not a token this server gave out");
    }
  }

  /** The region of the SigV4 credential scope, for ARNs; us-east-1 when unsigned. */
  private static String region(AggregatedHttpRequest req) {
    String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION);
    if (auth != null) {
      int i = auth.indexOf("Credential=");
      if (i >= 0) {
        String[] parts = auth.substring(i + "Credential=".length()).split("[,\\s]")[0].split("/");
        if (parts.length >= 3 && !parts[2].isEmpty()) {
          return parts[2];
        }
      }
    }
    return "us-east-1";
  }
}
