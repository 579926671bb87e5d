package dev.kansoku.awsapi.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.kansoku.awsapi.aws.AwsTargetRouter;
import dev.kansoku.awsapi.metrics.EmfExtractor;
import dev.kansoku.model.LogRecord;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogPage;
import dev.kansoku.store.LogQuery;
import dev.kansoku.store.Storage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudWatch Logs over awsJson1.1 ({@code X-Amz-Target: Logs_20140328.*}). Handlers are thin: read and
 * validate the request into a query object, ask the store (its log group metadata through the
 * {@link LogGroupRegistry}), encode the answer in CloudWatch's member names.
 */
public final class LogsApi implements AwsTargetRouter.TargetHandler {
  private static final Logger log = LoggerFactory.getLogger(LogsApi.class);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TARGET_PREFIX = "Logs_20140328";
  static final String ACCOUNT = "000000000000";
  private static final MediaType AWS_JSON = MediaType.parse("application/x-amz-json-1.1");
  private static final Pattern GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");
  private static final Pattern REGION = Pattern.compile("Credential=[^/,]*/[0-9]{8}/([a-z0-9-]+)/");
  static final long DAY_MS = 86_400_000L;
  private static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
      731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);
  /** Raw store records read per round while post-filtering; bounds a page token's skip count. */
  private static final int CHUNK = 1000;

  private final Storage storage;
  private final LogGroupRegistry registry;
  private final InsightsQueries insights;

  LogsApi(Storage storage, LogGroupRegistry registry) {
    this.storage = storage;
    this.registry = registry;
    this.insights = new InsightsQueries(this);
  }

  /**
   * Adds CloudWatch Logs to the router; the store, with its log group catalog, is the extension's.
   * Close the result on shutdown.
   */
  public static AutoCloseable register(AwsTargetRouter router, Storage storage) {
    LogsApi api = new LogsApi(storage, new LogGroupRegistry(storage.logGroups()));
    router.register(TARGET_PREFIX, api);
    return api.insights::close;
  }

  LogGroupRegistry registry() {
    return registry;
  }

  Storage storage() {
    return storage;
  }

  @Override
  public HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest request, String operation) {
    JsonNode in;
    try {
      String body = request.contentUtf8();
      in = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return AwsTargetRouter.jsonError(HttpStatus.BAD_REQUEST, "SerializationException",
          "body is not JSON: " + e.getOriginalMessage());
    }
    if (!in.isObject()) {
      return AwsTargetRouter.jsonError(HttpStatus.BAD_REQUEST, "SerializationException",
          "body must be a JSON object, got " + in.getNodeType());
    }
    String region = region(request.headers().get("authorization"));
    try {
      ObjectNode out = switch (operation) {
        case "CreateLogGroup" -> createLogGroup(in);
        case "CreateLogStream" -> createLogStream(in);
        case "DeleteLogGroup" -> deleteLogGroup(in);
        case "DeleteLogStream" -> deleteLogStream(in);
        case "DescribeLogGroups" -> describeLogGroups(in, region);
        case "DescribeLogStreams" -> describeLogStreams(in, region);
        case "PutRetentionPolicy" -> putRetentionPolicy(in);
        case "DeleteRetentionPolicy" -> deleteRetentionPolicy(in);
        case "PutLogEvents" -> putLogEvents(in);
        case "GetLogEvents" -> getLogEvents(in);
        case "FilterLogEvents" -> filterLogEvents(in);
        case "StartQuery" -> insights.start(in);
        case "GetQueryResults" -> insights.results(in);
        case "StopQuery" -> insights.stop(in);
        case "DescribeQueries" -> insights.describe(in);
        default -> throw new LogsException("UnknownOperationException",
            "unknown operation " + TARGET_PREFIX + "." + operation);
      };
      return HttpResponse.of(ResponseHeaders.of(HttpStatus.OK, "content-type", AWS_JSON.toString()),
          HttpData.ofUtf8(out.toString()));
    } catch (InsightsQuery.MalformedQuery e) {
      ObjectNode err = JSON.createObjectNode();
      err.put("__type", "MalformedQueryException");
      err.put("message", e.getMessage());
      ObjectNode ce = err.putObject("queryCompileError");
      ce.putObject("location").put("startCharOffset", e.start).put("endCharOffset", e.end);
      ce.put("message", e.getMessage());
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.BAD_REQUEST).contentType(AWS_JSON)
          .add("x-amzn-errortype", "MalformedQueryException").build(), HttpData.ofUtf8(err.toString()));
    } catch (LogsException e) {
      return AwsTargetRouter.jsonError(e.status, e.type, e.getMessage());
    } catch (IllegalArgumentException e) {
      return AwsTargetRouter.jsonError(HttpStatus.BAD_REQUEST, "InvalidParameterException", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("{} failed", operation, e);
      return AwsTargetRouter.jsonError(HttpStatus.INTERNAL_SERVER_ERROR, "ServiceUnavailableException",
          operation + " failed: " + e);
    }
  }

  static String region(@Nullable String authorization) {
    if (authorization != null) {
      Matcher m = REGION.matcher(authorization);
      if (m.find()) {
        return m.group(1);
      }
    }
    return "us-east-1";
  }

  // ---- groups and streams

  private ObjectNode createLogGroup(JsonNode in) {
    String name = groupName(in, "logGroupName");
    if (!registry.createGroup(name, System.currentTimeMillis())) {
      throw new LogsException("ResourceAlreadyExistsException", "The specified log group already exists: " + name);
    }
    return JSON.createObjectNode();
  }

  private ObjectNode createLogStream(JsonNode in) {
    String group = groupName(in, "logGroupName");
    String stream = streamName(in, "logStreamName");
    syncFromStore(group);
    Boolean created = registry.createStream(group, stream, System.currentTimeMillis());
    if (created == null) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    if (!created) {
      throw new LogsException("ResourceAlreadyExistsException", "The specified log stream already exists: " + stream);
    }
    return JSON.createObjectNode();
  }

  private ObjectNode deleteLogGroup(JsonNode in) {
    String group = groupName(in, "logGroupName");
    syncFromStore(group);
    if (!registry.deleteGroup(group, storage.names().logStreams(group))) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    return JSON.createObjectNode();
  }

  private ObjectNode deleteLogStream(JsonNode in) {
    String group = groupName(in, "logGroupName");
    String stream = streamName(in, "logStreamName");
    syncFromStore(group);
    if (!registry.hasGroup(group)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    if (!registry.deleteStream(group, stream)) {
      throw LogsException.notFound("The specified log stream does not exist: " + stream);
    }
    return JSON.createObjectNode();
  }

  private ObjectNode putRetentionPolicy(JsonNode in) {
    String group = groupName(in, "logGroupName");
    JsonNode d = in.get("retentionInDays");
    if (d == null || !d.canConvertToInt()) {
      throw LogsException.invalid("retentionInDays: " + d + " (required; one of " + sortedRetentions() + ")");
    }
    if (!RETENTION_DAYS.contains(d.intValue())) {
      throw LogsException.invalid("1 validation error detected: Value '" + d.intValue()
          + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: "
          + sortedRetentions());
    }
    syncFromStore(group);
    if (!registry.setRetention(group, d.intValue())) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    return JSON.createObjectNode();
  }

  private static List<Integer> sortedRetentions() {
    return RETENTION_DAYS.stream().sorted().toList();
  }

  private ObjectNode deleteRetentionPolicy(JsonNode in) {
    String group = groupName(in, "logGroupName");
    syncFromStore(group);
    if (!registry.setRetention(group, null)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    return JSON.createObjectNode();
  }

  private ObjectNode describeLogGroups(JsonNode in, String region) {
    String prefix = text(in, "logGroupNamePrefix");
    String pattern = text(in, "logGroupNamePattern");
    if (prefix != null && pattern != null) {
      throw LogsException.invalid("logGroupNamePrefix and logGroupNamePattern are mutually exclusive");
    }
    int limit = intIn(in, "limit", 50, 1, 50);
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode id : in.path("logGroupIdentifiers")) {
      ids.add(identifierToName(id.asText()));
    }
    syncAllFromStore();
    String after = text(in, "nextToken") == null ? null : decodeToken(text(in, "nextToken"));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("logGroups");
    String last = null;
    boolean more = false;
    for (LogGroupRegistry.GroupInfo g : registry.groups()) {
      if ((prefix != null && !g.name().startsWith(prefix)) || (pattern != null && !g.name().contains(pattern))
          || (!ids.isEmpty() && !ids.contains(g.name())) || (after != null && g.name().compareTo(after) <= 0)) {
        continue;
      }
      if (arr.size() == limit) {
        more = true;
        break;
      }
      ObjectNode o = arr.addObject();
      o.put("logGroupName", g.name());
      o.put("creationTime", g.creationTimeMillis());
      if (g.retentionInDays() != null) {
        o.put("retentionInDays", g.retentionInDays());
      }
      o.put("metricFilterCount", 0);
      String arn = "arn:aws:logs:" + region + ":" + ACCOUNT + ":log-group:" + g.name();
      o.put("arn", arn + ":*");
      o.put("logGroupArn", arn);
      o.put("storedBytes", g.storedBytes());
      o.put("logGroupClass", "STANDARD");
      last = g.name();
    }
    if (more) {
      out.put("nextToken", encodeToken(last));
    }
    return out;
  }

  private ObjectNode describeLogStreams(JsonNode in, String region) {
    String group = groupOrIdentifier(in);
    String prefix = text(in, "logStreamNamePrefix");
    String orderBy = text(in, "orderBy") == null ? "LogStreamName" : text(in, "orderBy");
    if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
      throw LogsException.invalid("orderBy: '" + orderBy + "' (expected LogStreamName or LastEventTime)");
    }
    if (prefix != null && orderBy.equals("LastEventTime")) {
      throw LogsException.invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    boolean descending = in.path("descending").asBoolean(false);
    int limit = intIn(in, "limit", 50, 1, 50);
    syncFromStore(group);
    List<LogGroupRegistry.StreamInfo> streams = registry.streams(group);
    if (streams == null) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    List<LogGroupRegistry.StreamInfo> sorted = new ArrayList<>();
    for (LogGroupRegistry.StreamInfo s : streams) {
      if (prefix == null || s.name().startsWith(prefix)) {
        sorted.add(s);
      }
    }
    if (orderBy.equals("LastEventTime")) {
      sorted.sort((a, b) -> {
        long ta = a.lastEventTimestamp() == null ? Long.MIN_VALUE : a.lastEventTimestamp();
        long tb = b.lastEventTimestamp() == null ? Long.MIN_VALUE : b.lastEventTimestamp();
        return ta != tb ? Long.compare(ta, tb) : a.name().compareTo(b.name());
      });
    }
    if (descending) {
      java.util.Collections.reverse(sorted);
    }
    // The token is an offset into this ordering: simple and stable while streams are not created meanwhile.
    int from = text(in, "nextToken") == null ? 0 : offsetToken(text(in, "nextToken"));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("logStreams");
    int end = Math.min(sorted.size(), from + limit);
    for (int i = from; i < end; i++) {
      LogGroupRegistry.StreamInfo s = sorted.get(i);
      ObjectNode o = arr.addObject();
      o.put("logStreamName", s.name());
      o.put("creationTime", s.creationTimeMillis());
      if (s.firstEventTimestamp() != null) {
        o.put("firstEventTimestamp", s.firstEventTimestamp());
        o.put("lastEventTimestamp", s.lastEventTimestamp());
        o.put("lastIngestionTime", s.lastIngestionTime());
      }
      o.put("uploadSequenceToken", sequenceToken(s.sequence()));
      o.put("arn", "arn:aws:logs:" + region + ":" + ACCOUNT + ":log-group:" + group + ":log-stream:" + s.name());
      o.put("storedBytes", 0); // CloudWatch has reported 0 here since 2019
    }
    if (end < sorted.size()) {
      out.put("nextToken", encodeToken(Integer.toString(end)));
    }
    return out;
  }

  private static String sequenceToken(long seq) {
    return String.format("%056d", seq);
  }

  // ---- events

  private ObjectNode putLogEvents(JsonNode in) {
    String group = groupName(in, "logGroupName");
    String stream = streamName(in, "logStreamName");
    PutBatch batch = PutBatch.parse(in.get("logEvents"), System.currentTimeMillis(), registryRetention(group));
    syncFromStore(group);
    if (!registry.hasGroup(group)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    if (!registry.hasStream(group, stream)) {
      throw LogsException.notFound("The specified log stream does not exist: " + stream);
    }
    long seq;
    if (batch.acceptedFrom() < batch.acceptedTo()) {
      List<LogRecord> records = new ArrayList<>(batch.acceptedTo() - batch.acceptedFrom());
      long ingestion = registry.tickNanos();
      long bytes = 0;
      List<MetricPoint> emf = new ArrayList<>();
      for (int i = batch.acceptedFrom(); i < batch.acceptedTo(); i++) {
        PutBatch.Event e = batch.events().get(i);
        records.add(new LogRecord(e.timestamp() * 1_000_000L, ingestion, group, stream, "", "", 0, e.message(),
            null, null, null, null));
        bytes += e.bytes();
        // As CloudWatch does: metrics in Embedded Metric Format events (awsemf's output) become metrics.
        if (e.message().startsWith("{") && e.message().contains("\"_aws\"")) {
          emf.addAll(EmfExtractor.extract(e.message(), group, e.timestamp()));
        }
      }
      storage.logWriter().write(records);
      if (!emf.isEmpty()) {
        storage.metricWriter().write(emf);
      }
      seq = registry.recordPut(group, stream, batch.events().get(batch.acceptedFrom()).timestamp(),
          batch.events().get(batch.acceptedTo() - 1).timestamp(), bytes, ingestion / 1_000_000L);
    } else {
      seq = registry.recordPut(group, stream, Long.MAX_VALUE, Long.MIN_VALUE, 0, System.currentTimeMillis());
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("nextSequenceToken", sequenceToken(Math.max(seq, 0)));
    if (batch.hasRejections()) {
      ObjectNode r = out.putObject("rejectedLogEventsInfo");
      if (batch.tooOldEnd() > 0) {
        r.put("tooOldLogEventEndIndex", batch.tooOldEnd());
      }
      if (batch.expiredEnd() > 0) {
        r.put("expiredLogEventEndIndex", batch.expiredEnd());
      }
      if (batch.tooNewStart() < batch.events().size()) {
        r.put("tooNewLogEventStartIndex", batch.tooNewStart());
      }
    }
    return out;
  }

  @Nullable
  private Integer registryRetention(String group) {
    return registry.retention(group);
  }

  private ObjectNode getLogEvents(JsonNode in) {
    String group = groupOrIdentifier(in);
    String stream = streamName(in, "logStreamName");
    int limit = intIn(in, "limit", 10_000, 1, 10_000);
    boolean fromHead = in.path("startFromHead").asBoolean(false);
    String token = text(in, "nextToken");
    requireStream(group, stream);
    LogQuery.Builder q = LogQuery.builder().logGroup(group).logStream(stream);
    window(q, in, group);
    // GetLogEvents tokens are positions in the stream's ascending event list: f/<i> reads [i, i+limit),
    // b/<i> reads [i-limit, i). At either end the answer repeats the caller's token, as CloudWatch does.
    List<LogEntry> all = collect(q, group, null);
    int from;
    int to;
    if (token == null) {
      from = fromHead ? 0 : Math.max(0, all.size() - limit);
      to = fromHead ? Math.min(all.size(), limit) : all.size();
    } else {
      boolean forward = token.startsWith("f/");
      if (!forward && !token.startsWith("b/")) {
        throw LogsException.invalid("nextToken: '" + token + "' (not a token GetLogEvents issued)");
      }
      int at;
      try {
        at = Math.min(all.size(), Integer.parseInt(token.substring(2)));
      } catch (NumberFormatException e) {
        throw LogsException.invalid("nextToken: '" + token + "' (not a token GetLogEvents issued)");
      }
      from = forward ? at : Math.max(0, at - limit);
      to = forward ? Math.min(all.size(), at + limit) : at;
    }
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("events");
    for (int i = from; i < to; i++) {
      LogRecord r = all.get(i).record();
      arr.addObject().put("timestamp", r.timeNanos() / 1_000_000L).put("message", r.body())
          .put("ingestionTime", r.observedTimeNanos() / 1_000_000L);
    }
    out.put("nextForwardToken", "f/" + to);
    out.put("nextBackwardToken", "b/" + from);
    return out;
  }

  private ObjectNode filterLogEvents(JsonNode in) {
    String group = groupOrIdentifier(in);
    Set<String> streams = new LinkedHashSet<>();
    for (JsonNode s : in.path("logStreamNames")) {
      streams.add(s.asText());
    }
    String streamPrefix = text(in, "logStreamNamePrefix");
    if (!streams.isEmpty() && streamPrefix != null) {
      throw LogsException.invalid("logStreamNames and logStreamNamePrefix are mutually exclusive");
    }
    if (streams.size() > 100) {
      throw LogsException.invalid("logStreamNames: " + streams.size() + " names (at most 100)");
    }
    int limit = intIn(in, "limit", 10_000, 1, 10_000);
    String patternText = text(in, "filterPattern");
    if (patternText != null && patternText.length() > 1024) {
      throw LogsException.invalid("filterPattern: " + patternText.length() + " characters (at most 1024)");
    }
    FilterPattern pattern = FilterPattern.parse(patternText);
    boolean fromHead = in.path("startFromHead").asBoolean(true);
    syncFromStore(group);
    if (!registry.hasGroup(group)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    LogQuery.Builder q = LogQuery.builder().logGroup(group).logStreamPrefix(streamPrefix).text(pattern.text())
        .order(fromHead ? LogQuery.Order.OLDEST_FIRST : LogQuery.Order.NEWEST_FIRST);
    streams.forEach(q::logStream);
    window(q, in, group);
    Predicate<LogRecord> post = r -> pattern.post().test(r.body());
    String[] position = decodeFilterToken(text(in, "nextToken"));
    String storeToken = position[0];
    int skip = Integer.parseInt(position[1]);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("events");
    while (true) {
      LogPage page = storage.logSearch().search(q.limit(CHUNK).pageToken(storeToken).build());
      int raw = 0;
      for (LogEntry e : page.entries()) {
        int index = raw++;
        if (index < skip || !visible(e.record()) || !post.test(e.record())) {
          continue;
        }
        if (arr.size() == limit) {
          // Another match exists: hand out a token, so the last page is the one without one.
          out.putArray("searchedLogStreams");
          out.put("nextToken", encodeToken((storeToken == null ? "" : storeToken) + "|" + index));
          return out;
        }
        LogRecord r = e.record();
        arr.addObject().put("logStreamName", r.logStream()).put("timestamp", r.timeNanos() / 1_000_000L)
            .put("message", r.body()).put("ingestionTime", r.observedTimeNanos() / 1_000_000L)
            .put("eventId", e.id());
      }
      if (page.nextPageToken() == null) {
        break;
      }
      storeToken = page.nextPageToken();
      skip = 0;
    }
    out.putArray("searchedLogStreams");
    return out;
  }

  private static String[] decodeFilterToken(@Nullable String token) {
    if (token == null) {
      return new String[] {null, "0"};
    }
    String plain = decodeToken(token);
    int bar = plain.lastIndexOf('|');
    if (bar < 0) {
      throw LogsException.invalid("nextToken: '" + token + "' (not a token FilterLogEvents issued)");
    }
    try {
      Integer.parseInt(plain.substring(bar + 1));
    } catch (NumberFormatException e) {
      throw LogsException.invalid("nextToken: '" + token + "' (not a token FilterLogEvents issued)");
    }
    return new String[] {bar == 0 ? null : plain.substring(0, bar), plain.substring(bar + 1)};
  }

  /** startTime/endTime (epoch ms; end exclusive) clipped to the group's retention window. */
  private void window(LogQuery.Builder q, JsonNode in, String group) {
    long start = in.hasNonNull("startTime") ? in.get("startTime").asLong() : 0;
    long end = in.hasNonNull("endTime") ? in.get("endTime").asLong() : Long.MAX_VALUE / 1_000_000L;
    if (end < start) {
      throw LogsException.invalid("endTime " + end + " is before startTime " + start);
    }
    q.window(retentionFloorNanos(group, start * 1_000_000L), end * 1_000_000L);
  }

  /** Events older than the group's retention are expired: CloudWatch deletes them lazily, we hide them. */
  long retentionFloorNanos(String group, long startNanos) {
    Integer days = registry.retention(group);
    if (days == null) {
      return Math.max(0, startNanos);
    }
    long floor = (System.currentTimeMillis() - days * DAY_MS) * 1_000_000L;
    return Math.max(startNanos, floor);
  }

  boolean visible(LogRecord r) {
    return registry.visible(r.logGroup(), r.logStream(), r.observedTimeNanos());
  }

  /** Every visible entry of a query, in its order (for GetLogEvents; streams are read whole). */
  List<LogEntry> collect(LogQuery.Builder q, String group, @Nullable Predicate<LogRecord> post) {
    List<LogEntry> out = new ArrayList<>();
    String token = null;
    do {
      LogPage page = storage.logSearch().search(q.limit(10_000).pageToken(token).build());
      for (LogEntry e : page.entries()) {
        if (visible(e.record()) && (post == null || post.test(e.record()))) {
          out.add(e);
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return out;
  }

  private void requireStream(String group, String stream) {
    syncFromStore(group);
    if (!registry.hasGroup(group)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    if (!registry.hasStream(group, stream)) {
      throw LogsException.notFound("The specified log stream does not exist: " + stream);
    }
  }

  // ---- registry ⇄ store names

  /** Lets groups that only arrived through OTLP exist for the API, created on first sight. */
  void syncFromStore(String group) {
    if (registry.hasGroup(group) || storage.names().logGroups().contains(group)) {
      registry.adopt(group, storage.names().logStreams(group), System.currentTimeMillis());
    }
  }

  void syncAllFromStore() {
    for (String g : storage.names().logGroups()) {
      registry.adopt(g, storage.names().logStreams(g), System.currentTimeMillis());
    }
  }

  // ---- request members

  @Nullable
  static String text(JsonNode in, String member) {
    JsonNode v = in.get(member);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw LogsException.invalid(member + ": expected a string, got " + v);
    }
    return v.textValue();
  }

  static int intIn(JsonNode in, String member, int dflt, int min, int max) {
    JsonNode v = in.get(member);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw LogsException.invalid(member + ": " + v + " (expected " + min + " to " + max + ")");
    }
    return v.intValue();
  }

  static String groupName(JsonNode in, String member) {
    String name = text(in, member);
    if (name == null) {
      throw LogsException.invalid(member + " is required");
    }
    if (!GROUP_NAME.matcher(name).matches()) {
      throw LogsException.invalid(member + ": '" + name
          + "' (expected 1 to 512 of letters, digits and . - _ / #)");
    }
    return name;
  }

  static String streamName(JsonNode in, String member) {
    String name = text(in, member);
    if (name == null) {
      throw LogsException.invalid(member + " is required");
    }
    if (name.isEmpty() || name.length() > 512 || name.indexOf(':') >= 0 || name.indexOf('*') >= 0) {
      throw LogsException.invalid(member + ": '" + name + "' (expected 1 to 512 characters without : or *)");
    }
    return name;
  }

  /** Exactly one of logGroupName and logGroupIdentifier (a name or an ARN). */
  static String groupOrIdentifier(JsonNode in) {
    String name = text(in, "logGroupName");
    String id = text(in, "logGroupIdentifier");
    if ((name == null) == (id == null)) {
      throw LogsException.invalid("exactly one of logGroupName and logGroupIdentifier is required, got "
          + (name == null ? "neither" : "both"));
    }
    return name != null ? groupName(in, "logGroupName") : identifierToName(id);
  }

  static String identifierToName(String id) {
    if (id.startsWith("arn:")) {
      int at = id.indexOf(":log-group:");
      if (at < 0) {
        throw LogsException.invalid("logGroupIdentifier: '" + id + "' is not a log group ARN");
      }
      String rest = id.substring(at + ":log-group:".length());
      return rest.endsWith(":*") ? rest.substring(0, rest.length() - 2) : rest;
    }
    return id;
  }

  static String encodeToken(String plain) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw LogsException.invalid("nextToken: '" + token + "' (not a token this service issued)");
    }
  }

  private static int offsetToken(String token) {
    try {
      return Integer.parseInt(decodeToken(token));
    } catch (NumberFormatException e) {
      throw LogsException.invalid("nextToken: '" + token + "' (not a token this service issued)");
    }
  }
}
