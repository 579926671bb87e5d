package dev.kansoku.awsapi.logs;

import static dev.kansoku.awsapi.logs.LogsApi.JSON;
import static dev.kansoku.awsapi.logs.LogsApi.decodeToken;
import static dev.kansoku.awsapi.logs.LogsApi.encodeToken;
import static dev.kansoku.awsapi.logs.LogsApi.groupOrIdentifier;
import static dev.kansoku.awsapi.logs.LogsApi.intIn;
import static dev.kansoku.awsapi.logs.LogsApi.streamName;
import static dev.kansoku.awsapi.logs.LogsApi.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.model.LogRecord;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogPage;
import dev.kansoku.store.LogQuery;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/**
 * GetLogEvents and FilterLogEvents: validated into a store log query, read from the store, and
 * answered with the records that the group's retention and the registry's delete cutoffs leave
 * visible. Stateless besides the store and registry.
 */
final class LogReads {
  /** Raw store records read per round while post-filtering; bounds a page token's skip count. */
  private static final int CHUNK = 1000;

  private final LogsApi api;

  LogReads(LogsApi api) {
    this.api = api;
  }

  ObjectNode getLogEvents(JsonNode in) {
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
    List<LogEntry> all = collect(q);
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

  ObjectNode filterLogEvents(JsonNode in) {
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
    api.syncFromStore(group);
    if (!api.registry().hasGroup(group)) {
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
      LogPage page = api.storage().logSearch().search(q.limit(CHUNK).pageToken(storeToken).build());
      int raw = 0;
      for (LogEntry e : page.entries()) {
        int index = raw++;
        if (index < skip || !api.visible(e.record()) || !post.test(e.record())) {
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
    q.window(api.retentionFloorNanos(group, start * 1_000_000L), end * 1_000_000L);
  }

  /** Every visible entry of a query, in its order (for GetLogEvents; streams are read whole). */
  private List<LogEntry> collect(LogQuery.Builder q) {
    List<LogEntry> out = new ArrayList<>();
    String token = null;
    do {
      LogPage page = api.storage().logSearch().search(q.limit(10_000).pageToken(token).build());
      for (LogEntry e : page.entries()) {
        if (api.visible(e.record())) {
          out.add(e);
        }
      }
      token = page.nextPageToken();
    } while (token != null);
    return out;
  }

  private void requireStream(String group, String stream) {
    api.syncFromStore(group);
    if (!api.registry().hasGroup(group)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    if (!api.registry().hasStream(group, stream)) {
      throw LogsException.notFound("The specified log stream does not exist: " + stream);
    }
  }
}
