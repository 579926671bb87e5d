package dev.kansoku.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.LogPage;
import dev.kansoku.store.LogQuery;
import dev.kansoku.store.MetricQuery;
import dev.kansoku.store.RedQuery;
import dev.kansoku.store.Statistic;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import dev.kansoku.store.Trace;
import dev.kansoku.store.TraceQuery;
import dev.kansoku.store.TraceStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native JSON query API under {@code /api}: thin handlers that turn parameters into the
 * store's validated query objects and encode the answer ({@link QueryJson}). A bad parameter is a
 * 400 with {@code {"error": "..."}} naming it; an unknown trace is a 404.
 *
 * <p>Times ({@code start}, {@code end}) are epoch milliseconds, RFC 3339 instants, or a duration
 * before now ({@code 15m}); the default window is the last hour. Durations are Go-style
 * ({@code 250ms}, {@code 2s}).
 */
final class QueryApi {
  private static final Duration DEFAULT_WINDOW = Duration.ofHours(1);
  private static final int MAX_TRACES_BY_ID = 100;
  private static final int RETRY_AFTER_SECONDS = 5;
  private static final Logger log = LoggerFactory.getLogger(QueryApi.class);

  private final Storage storage;

  QueryApi(Storage storage) {
    this.storage = storage;
  }

  void bind(ServerBuilder sb) {
    get(sb, "/api/services", (ctx, q) -> QueryJson.names("services", storage.names().services()));
    get(sb, "/api/services/{service}/operations",
        (ctx, q) -> QueryJson.names("operations", storage.names().operations(ctx.pathParam("service"))));
    get(sb, "/api/traces/{id}", (ctx, q) -> storage.traceReader().trace(traceId(ctx.pathParam("id")))
        .map(QueryJson::trace).orElseThrow(() -> new NotFound("no trace " + ctx.pathParam("id"))));
    get(sb, "/api/traces/{id}/logs", (ctx, q) -> logs(LogQuery.builder().traceId(traceId(ctx.pathParam("id")))
        .limit(intParam(q, "limit", 1000)).build()));
    get(sb, "/api/traces", (ctx, q) -> traces(q));
    get(sb, "/api/traces-by-id", (ctx, q) -> tracesById(required(q, "ids")));
    get(sb, "/api/logs", (ctx, q) -> logs(logQuery(q)));
    get(sb, "/api/log-groups", (ctx, q) -> QueryJson.names("logGroups", storage.names().logGroups()));
    get(sb, "/api/log-streams",
        (ctx, q) -> QueryJson.names("logStreams", storage.names().logStreams(required(q, "group"))));
    get(sb, "/api/metrics/namespaces", (ctx, q) -> QueryJson.names("namespaces", storage.names().metricNamespaces()));
    get(sb, "/api/metrics/names",
        (ctx, q) -> QueryJson.names("names", storage.names().metricNames(required(q, "namespace"))));
    get(sb, "/api/metrics", (ctx, q) -> metrics(q));
    get(sb, "/api/red", (ctx, q) -> red(q));
    get(sb, "/api/service-graph", (ctx, q) -> {
      long[] w = window(q);
      return QueryJson.graph(storage.serviceGraph().graph(w[0], w[1]));
    });
  }

  private interface Handler {
    ObjectNode handle(ServiceRequestContext ctx, QueryParams params);
  }

  /** Not an error of the caller's: the thing asked for is not there. */
  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message, null, false, false);
    }
  }

  private static void get(ServerBuilder sb, String path, Handler handler) {
    HttpService service = (ctx, req) -> HttpResponse.of(() -> {
      QueryParams params = ctx.queryParams();
      try {
        return json(HttpStatus.OK, handler.handle(ctx, params));
      } catch (NotFound e) {
        return error(HttpStatus.NOT_FOUND, e.getMessage());
      } catch (IllegalArgumentException e) {
        return error(HttpStatus.BAD_REQUEST, e.getMessage());
      } catch (StorageException e) {
        // The store is down or busy (a cluster restarting, a full queue): say when to ask again.
        log.warn("{}: store failed: {}", path, e.toString());
        return json(HttpStatus.SERVICE_UNAVAILABLE, QueryJson.MAPPER.createObjectNode()
            .put("error", "store unavailable: " + e.getMessage()), RETRY_AFTER_SECONDS);
      }
    }, ctx.blockingTaskExecutor());
    sb.route().get(path).build(service);
  }

  private static HttpResponse json(HttpStatus status, ObjectNode body) {
    return json(status, body, 0);
  }

  private static HttpResponse json(HttpStatus status, ObjectNode body, int retryAfterSeconds) {
    ResponseHeadersBuilder headers = ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8);
    if (retryAfterSeconds > 0) {
      headers.add(HttpHeaderNames.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    }
    try {
      return HttpResponse.of(headers.build(), HttpData.wrap(QueryJson.MAPPER.writeValueAsBytes(body)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse error(HttpStatus status, String message) {
    return json(status, QueryJson.MAPPER.createObjectNode().put("error", message));
  }

  /** Many traces in one request (a console or checker fetching a page of them): ids comma-separated, at most 100. */
  private ObjectNode tracesById(String ids) {
    List<TraceId> wanted = new ArrayList<>();
    for (String id : ids.split(",")) {
      if (!id.isBlank()) {
        wanted.add(traceId(id.trim()));
      }
    }
    if (wanted.isEmpty() || wanted.size() > MAX_TRACES_BY_ID) {
      throw new IllegalArgumentException("ids: expected 1 to " + MAX_TRACES_BY_ID + " trace ids, got " + wanted.size());
    }
    List<Trace> found = storage.traceReader().traces(wanted);
    ObjectNode o = QueryJson.MAPPER.createObjectNode();
    ArrayNode traces = o.putArray("traces");
    found.forEach(t -> traces.add(QueryJson.trace(t)));
    Set<TraceId> present = new HashSet<>();
    found.forEach(t -> present.add(t.traceId()));
    ArrayNode missing = o.putArray("missing");
    new LinkedHashSet<>(wanted).stream().filter(id -> !present.contains(id)).forEach(id -> missing.add(id.hex()));
    return o;
  }

  private ObjectNode traces(QueryParams q) {
    long[] w = window(q);
    TraceQuery.Builder b = TraceQuery.builder().window(w[0], w[1]).serviceName(q.get("service"))
        .spanName(q.get("operation")).limit(intParam(q, "limit", TraceQuery.DEFAULT_LIMIT));
    String min = q.get("minDuration");
    if (min != null) {
      b.minDuration(duration("minDuration", min));
    }
    String max = q.get("maxDuration");
    if (max != null) {
      b.maxDuration(duration("maxDuration", max));
    }
    String status = q.get("status");
    if (status != null) {
      b.status(parseEnum("status", status, TraceStatus::valueOf));
    }
    String order = q.get("order");
    if (order != null) {
      b.order(parseEnum("order", order, TraceQuery.Order::valueOf));
    }
    ObjectNode out = QueryJson.MAPPER.createObjectNode();
    ArrayNode traces = out.putArray("traces");
    storage.traceSearch().search(b.build()).forEach(t -> traces.add(QueryJson.summary(t)));
    return out;
  }

  private LogQuery logQuery(QueryParams q) {
    long[] w = window(q);
    LogQuery.Builder b = LogQuery.builder().window(w[0], w[1]).serviceName(q.get("service"))
        .limit(intParam(q, "limit", LogQuery.DEFAULT_LIMIT)).logStreamPrefix(q.get("streamPrefix"));
    q.getAll("group").forEach(b::logGroup);
    q.getAll("stream").forEach(b::logStream);
    String text = q.get("q");
    if (text != null && !text.isBlank()) {
      b.text(text);
    }
    String traceId = q.get("traceId");
    if (traceId != null) {
      b.traceId(traceId(traceId));
    }
    String order = q.get("order");
    if (order != null) {
      b.order(parseEnum("order", order, LogQuery.Order::valueOf));
    }
    String token = q.get("pageToken");
    if (token != null) {
      b.pageToken(token);
    }
    return b.build();
  }

  private ObjectNode logs(LogQuery query) {
    LogPage page = storage.logSearch().search(query);
    ObjectNode out = QueryJson.MAPPER.createObjectNode();
    ArrayNode logs = out.putArray("logs");
    page.entries().forEach(e -> logs.add(QueryJson.log(e)));
    out.put("nextPageToken", page.nextPageToken());
    return out;
  }

  private ObjectNode metrics(QueryParams q) {
    long[] w = window(q);
    MetricQuery.Builder b = MetricQuery.builder(required(q, "namespace"), required(q, "name")).window(w[0], w[1])
        .period(duration("period", q.get("period", "1m")));
    if (q.get("match") != null) {
      b.dimensionMatch(parseEnum("match", q.get("match"), MetricQuery.DimensionMatch::valueOf));
    }
    for (String d : q.getAll("dimension")) {
      int colon = d.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("dimension: \"" + d + "\" (expected: key:value)");
      }
      b.dimension(d.substring(0, colon), d.substring(colon + 1));
    }
    var stats = q.getAll("stat");
    if (stats.isEmpty()) {
      b.statistic(Statistic.AVERAGE);
    }
    stats.forEach(b::statistic);
    ObjectNode out = QueryJson.MAPPER.createObjectNode();
    ArrayNode series = out.putArray("series");
    storage.metricSearch().query(b.build()).forEach(s -> series.add(QueryJson.series(s)));
    return out;
  }

  /**
   * RED per service (per operation with {@code byOperation=true}) from the store's rollups, as
   * columns aligned on {@code timestampsMs} for the console's charts.
   */
  private ObjectNode red(QueryParams q) {
    long[] w = window(q);
    RedQuery query = new RedQuery(q.get("service"), q.get("operation"), w[0], w[1],
        duration("period", q.get("period", "1m")).toNanos(), Boolean.parseBoolean(q.get("byOperation", "false")));
    return QueryJson.red(query, storage.serviceStats().red(query));
  }

  /** {start, end} in epoch nanos; the last hour unless the parameters say otherwise. */
  static long[] window(QueryParams q) {
    Instant now = Instant.now();
    Instant end = q.get("end") == null ? now : instant("end", q.get("end"), now);
    Instant start = q.get("start") == null ? end.minus(DEFAULT_WINDOW) : instant("start", q.get("start"), now);
    return new long[] {nanos(start), nanos(end)};
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static Instant instant(String name, String value, Instant now) {
    if (value.chars().allMatch(Character::isDigit)) {
      return Instant.ofEpochMilli(Long.parseLong(value));
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      try {
        return now.minus(duration(name, value));
      } catch (IllegalArgumentException notDuration) {
        throw new IllegalArgumentException(name + ": \"" + value
            + "\" (expected: epoch milliseconds, an RFC 3339 time, or a duration before now such as 15m)");
      }
    }
  }

  static Duration duration(String name, String value) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)").matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(name + ": \"" + value + "\" (expected: a duration such as 250ms, 2s, 15m)");
    }
    double n = Double.parseDouble(m.group(1));
    long unitMillis = switch (m.group(2)) {
      case "ms" -> 1L;
      case "s" -> 1_000L;
      case "m" -> 60_000L;
      case "h" -> 3_600_000L;
      default -> 86_400_000L;
    };
    return Duration.ofNanos((long) (n * unitMillis * 1_000_000L));
  }

  private static TraceId traceId(String text) {
    try {
      return TraceId.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trace id \"" + text + "\": " + e.getMessage());
    }
  }

  private static int intParam(QueryParams q, String name, int dflt) {
    String v = q.get(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": \"" + v + "\" (expected: a whole number)");
    }
  }

  private static String required(QueryParams q, String name) {
    String v = q.get(name);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException(name + ": missing");
    }
    return v;
  }

  private static <E> E parseEnum(String name, String value, Function<String, E> valueOf) {
    try {
      return valueOf.apply(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + ": \"" + value + "\" is not a known value");
    }
  }
}
