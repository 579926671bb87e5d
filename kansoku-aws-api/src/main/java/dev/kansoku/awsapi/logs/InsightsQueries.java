package dev.kansoku.awsapi.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogPage;
import dev.kansoku.store.LogQuery;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs Insights' asynchronous query API: StartQuery validates and parses synchronously (so syntax
 * errors come back as MalformedQueryException at once) and runs the query on a small executor;
 * GetQueryResults reports Running, then Complete with rows and statistics. Finished queries are kept
 * (at most {@link #KEPT}, oldest dropped) so clients can poll. Thread-safe.
 */
final class InsightsQueries {
  private static final Logger log = LoggerFactory.getLogger(InsightsQueries.class);
  static final int KEPT = 1000;
  static final int MAX_RUNNING = 100;

  private final LogsApi api;
  private final ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "kansoku-logs-insights");
    t.setDaemon(true); // queries must not keep a stopping collector alive
    return t;
  });
  private final Map<String, Query> queries = new ConcurrentHashMap<>();

  private static final class Query {
    final String id;
    final String queryString;
    final String logGroupName;
    final long createTime;
    volatile String status = "Scheduled";
    volatile InsightsRunner.Result result;
    volatile long durationMillis;
    volatile Future<?> future;
    volatile boolean cancelled;

    Query(String id, String queryString, String logGroupName, long createTime) {
      this.id = id;
      this.queryString = queryString;
      this.logGroupName = logGroupName;
      this.createTime = createTime;
    }
  }

  InsightsQueries(LogsApi api) {
    this.api = api;
  }

  ObjectNode start(JsonNode in) {
    List<String> groups = new ArrayList<>();
    int given = 0;
    if (LogsApi.text(in, "logGroupName") != null) {
      given++;
      groups.add(LogsApi.groupName(in, "logGroupName"));
    }
    for (String member : new String[] {"logGroupNames", "logGroupIdentifiers"}) {
      JsonNode arr = in.get(member);
      if (arr != null && !arr.isNull()) {
        given++;
        if (!arr.isArray() || arr.isEmpty() || arr.size() > 50) {
          throw LogsException.invalid(member + ": " + arr + " (expected 1 to 50 log groups)");
        }
        arr.forEach(g -> groups.add(LogsApi.identifierToName(g.asText())));
      }
    }
    if (given != 1) {
      throw LogsException.invalid("exactly one of logGroupName, logGroupNames and logGroupIdentifiers is required, got "
          + given);
    }
    JsonNode start = in.get("startTime");
    JsonNode end = in.get("endTime");
    if (start == null || !start.canConvertToLong() || end == null || !end.canConvertToLong()) {
      throw LogsException.invalid("startTime and endTime (epoch seconds) are required, got " + start + " and " + end);
    }
    if (end.longValue() < start.longValue()) {
      throw LogsException.invalid("endTime " + end.longValue() + " is before startTime " + start.longValue());
    }
    String queryString = LogsApi.text(in, "queryString");
    if (queryString == null) {
      throw LogsException.invalid("queryString is required");
    }
    if (queryString.length() > 10_000) {
      throw LogsException.invalid("queryString: " + queryString.length() + " characters (at most 10000)");
    }
    String language = LogsApi.text(in, "queryLanguage");
    if (language != null && !language.equals("CWLI")) {
      throw LogsException.invalid("queryLanguage: '" + language + "' (only CWLI, the Logs Insights language, is"
          + " supported)");
    }
    int limit = LogsApi.intIn(in, "limit", InsightsRunner.DEFAULT_ROWS, 1, 100_000);
    InsightsQuery query = InsightsQuery.parse(queryString);
    for (String g : groups) {
      api.syncFromStore(g);
      if (!api.registry().hasGroup(g)) {
        throw LogsException.notFound("The specified log group does not exist: " + g);
      }
    }
    if (queries.values().stream().filter(q -> q.status.equals("Running") || q.status.equals("Scheduled")).count()
        >= MAX_RUNNING) {
      throw new LogsException("LimitExceededException", "more than " + MAX_RUNNING + " queries are running");
    }
    Query q = new Query(UUID.randomUUID().toString(), queryString, groups.get(0), System.currentTimeMillis());
    long startNanos = start.longValue() * 1_000_000_000L;
    long endNanos = (end.longValue() + 1) * 1_000_000_000L; // endTime is inclusive, to the second
    evict();
    queries.put(q.id, q);
    q.future = executor.submit(() -> run(q, query, groups, startNanos, endNanos, limit));
    ObjectNode out = LogsApi.JSON.createObjectNode();
    out.put("queryId", q.id);
    return out;
  }

  private void run(Query q, InsightsQuery query, List<String> groups, long startNanos, long endNanos, int limit) {
    if (q.cancelled) {
      return;
    }
    q.status = "Running";
    long t0 = System.nanoTime();
    try {
      InsightsRunner runner = new InsightsRunner();
      TraceId hint = query.traceHint();
      Iterator<Map<String, Object>> rows = rows(runner, groups, startNanos, endNanos, hint, q);
      q.result = runner.run(query, rows, limit, () -> q.cancelled);
      q.status = q.cancelled ? "Cancelled" : "Complete";
    } catch (CancellationException e) {
      q.status = "Cancelled";
    } catch (RuntimeException e) {
      log.warn("Logs Insights query {} failed: {}", q.id, q.queryString, e);
      q.status = "Failed";
    } catch (Error e) {
      // Out of memory, say: the query ends Failed rather than Running forever for its pollers.
      log.error("Logs Insights query {} failed: {}", q.id, q.queryString, e);
      q.status = "Failed";
      throw e;
    } finally {
      q.durationMillis = (System.nanoTime() - t0) / 1_000_000L;
    }
  }

  /**
   * Rows newest first over all groups. With a trace hint the store answers from its trace-id index
   * (the X-Ray console's "logs of this trace"). Otherwise the window is read in {@link #SLICES}
   * newest-first time slices, each page by page: a store reads a page by going over its whole window
   * again, so paging through one long window would cost pages × window rather than the window once.
   */
  private Iterator<Map<String, Object>> rows(InsightsRunner runner, List<String> groups, long startNanos,
      long endNanos, TraceId hint, Query q) {
    LogQuery.Builder b = LogQuery.builder().order(LogQuery.Order.NEWEST_FIRST).traceId(hint).limit(10_000);
    groups.forEach(b::logGroup);
    long floor = startNanos;
    if (groups.size() == 1) {
      floor = api.retentionFloorNanos(groups.get(0), startNanos);
    }
    long bottom = Math.min(floor, endNanos);
    long width = hint != null ? endNanos - bottom : Math.max(1, (endNanos - bottom + SLICES - 1) / SLICES);
    return new Iterator<>() {
      long sliceEnd = endNanos;
      long sliceStart = Math.max(bottom, endNanos - width);
      String token;
      boolean done = bottom >= endNanos;
      Iterator<LogEntry> page = List.<LogEntry>of().iterator();
      Map<String, Object> next;

      @Override
      public boolean hasNext() {
        while (next == null) {
          if (page.hasNext()) {
            LogEntry e = page.next();
            if (api.visible(e.record()) && e.record().timeNanos() >= api.retentionFloorNanos(e.record().logGroup(),
                0)) {
              next = runner.row(e);
            }
          } else if (done || q.cancelled) {
            return false;
          } else {
            LogPage p = api.storage().logSearch().search(b.window(sliceStart, sliceEnd).pageToken(token).build());
            page = p.entries().iterator();
            token = p.nextPageToken();
            if (token == null) { // this slice is read: the next older one
              sliceEnd = sliceStart;
              sliceStart = Math.max(bottom, sliceEnd - width);
              done = sliceEnd <= bottom;
            }
          }
        }
        return true;
      }

      @Override
      public Map<String, Object> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Map<String, Object> r = next;
        next = null;
        return r;
      }
    };
  }

  /** Time slices a window without a trace hint is read in; see {@link #rows}. */
  static final int SLICES = 64;

  private void evict() {
    if (queries.size() < KEPT) {
      return;
    }
    queries.values().stream().filter(q -> q.future != null && q.future.isDone())
        .min((a, b) -> Long.compare(a.createTime, b.createTime)).ifPresent(q -> queries.remove(q.id));
  }

  ObjectNode results(JsonNode in) {
    Query q = find(in);
    ObjectNode out = LogsApi.JSON.createObjectNode();
    out.put("queryLanguage", "CWLI");
    ArrayNode results = out.putArray("results");
    InsightsRunner.Result r = q.result;
    ObjectNode stats = out.putObject("statistics");
    stats.put("recordsMatched", r == null ? 0.0 : (double) r.recordsMatched());
    stats.put("recordsScanned", r == null ? 0.0 : (double) r.recordsScanned());
    stats.put("bytesScanned", r == null ? 0.0 : (double) r.bytesScanned());
    stats.put("logGroupsScanned", 1.0);
    if (r != null) {
      for (Map<String, String> row : r.rows()) {
        ArrayNode fields = results.addArray();
        row.forEach((k, v) -> fields.addObject().put("field", k).put("value", v));
      }
    }
    out.put("status", q.status);
    return out;
  }

  ObjectNode stop(JsonNode in) {
    Query q = find(in);
    if (!q.status.equals("Running") && !q.status.equals("Scheduled")) {
      throw LogsException.invalid("query " + q.id + " is not running (status " + q.status + ")");
    }
    q.cancelled = true;
    q.status = "Cancelled";
    ObjectNode out = LogsApi.JSON.createObjectNode();
    out.put("success", true);
    return out;
  }

  ObjectNode describe(JsonNode in) {
    String group = LogsApi.text(in, "logGroupName");
    String status = LogsApi.text(in, "status");
    int max = LogsApi.intIn(in, "maxResults", 1000, 1, 1000);
    List<Query> sorted = new ArrayList<>(queries.values());
    sorted.sort((a, b) -> Long.compare(b.createTime, a.createTime));
    ObjectNode out = LogsApi.JSON.createObjectNode();
    ArrayNode arr = out.putArray("queries");
    for (Query q : sorted) {
      if ((group != null && !group.equals(q.logGroupName)) || (status != null && !status.equals(q.status))) {
        continue;
      }
      if (arr.size() == max) {
        break;
      }
      InsightsRunner.Result r = q.result;
      arr.addObject().put("queryLanguage", "CWLI").put("queryId", q.id).put("queryString", q.queryString)
          .put("status", q.status).put("createTime", q.createTime).put("logGroupName", q.logGroupName)
          .put("queryDuration", q.durationMillis).put("bytesScanned", r == null ? 0.0 : (double) r.bytesScanned());
    }
    return out;
  }

  private Query find(JsonNode in) {
    String id = LogsApi.text(in, "queryId");
    if (id == null) {
      throw LogsException.invalid("queryId is required");
    }
    Query q = queries.get(id);
    if (q == null) {
      throw LogsException.notFound("no query with id '" + id + "'");
    }
    return q;
  }

  /** Stops running queries and the query threads. */
  void close() {
    executor.shutdownNow();
  }
}
