package dev.kansoku.awsapi.logs;

import static dev.kansoku.awsapi.logs.InsightsValues.compare;
import static dev.kansoku.awsapi.logs.InsightsValues.number;
import static dev.kansoku.awsapi.logs.InsightsValues.render;
import static dev.kansoku.awsapi.logs.InsightsValues.truthy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.awsapi.logs.InsightsQuery.Agg;
import dev.kansoku.awsapi.logs.InsightsQuery.Command;
import dev.kansoku.awsapi.logs.InsightsQuery.Dedup;
import dev.kansoku.awsapi.logs.InsightsQuery.Display;
import dev.kansoku.awsapi.logs.InsightsQuery.Fields;
import dev.kansoku.awsapi.logs.InsightsQuery.Filter;
import dev.kansoku.awsapi.logs.InsightsQuery.Limit;
import dev.kansoku.awsapi.logs.InsightsQuery.Named;
import dev.kansoku.awsapi.logs.InsightsQuery.Parse;
import dev.kansoku.awsapi.logs.InsightsQuery.Sort;
import dev.kansoku.awsapi.logs.InsightsQuery.SortKey;
import dev.kansoku.awsapi.logs.InsightsQuery.Stats;
import dev.kansoku.model.LogRecord;
import dev.kansoku.store.LogEntry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import javax.annotation.Nullable;

/**
 * Runs an {@link InsightsQuery} over log entries: builds each event's fields (system fields and the
 * leaves of JSON messages), applies the commands in order and renders rows as CloudWatch does (all
 * values strings, timestamps {@code yyyy-MM-dd HH:mm:ss.SSS} UTC). Values inside are String, Double,
 * Boolean or Instant ({@link InsightsValues}); expressions evaluate through {@link InsightsFunctions}.
 * Stateless apart from one run's counters; not thread-safe per instance.
 */
final class InsightsRunner {
  static final int DEFAULT_ROWS = 10_000;
  private static final int MAX_JSON_FIELDS = 1000;

  /** One result row: field → rendered value, in column order. */
  record Result(List<Map<String, String>> rows, long recordsScanned, long recordsMatched, long bytesScanned) {}

  private long scanned;
  private long bytes;

  /** Turns an entry into the fields Insights sees; counts it as scanned. */
  Map<String, Object> row(LogEntry e) {
    LogRecord r = e.record();
    scanned++;
    bytes += r.body().getBytes(StandardCharsets.UTF_8).length;
    Map<String, Object> row = new LinkedHashMap<>();
    String body = r.body();
    String trimmed = body.strip();
    if (trimmed.startsWith("{")) {
      try {
        flatten("", LogsApi.JSON.readTree(trimmed), row);
      } catch (Exception ignored) {
        // not JSON after all: plain text gets only the system fields (use parse)
      }
    }
    row.put("@timestamp", Instant.ofEpochSecond(0, r.timeNanos()));
    row.put("@message", body);
    row.put("@logStream", r.logStream());
    row.put("@log", LogsApi.ACCOUNT + ":" + r.logGroup());
    row.put("@ingestionTime", Instant.ofEpochSecond(0, r.observedTimeNanos()));
    row.put("@ptr", LogsApi.encodeToken(r.logGroup() + "\n" + e.id()));
    return row;
  }

  private static void flatten(String prefix, JsonNode n, Map<String, Object> out) {
    if (out.size() >= MAX_JSON_FIELDS) {
      return;
    }
    if (n.isObject()) {
      n.fields().forEachRemaining(en -> {
        // A JSON key that starts with @ is shown with an extra @, as CloudWatch does, so it cannot
        // shadow a system field.
        String k = prefix.isEmpty() && en.getKey().startsWith("@") ? "@" + en.getKey() : en.getKey();
        flatten(prefix.isEmpty() ? k : prefix + "." + k, en.getValue(), out);
      });
    } else if (n.isArray()) {
      for (int i = 0; i < n.size(); i++) {
        flatten(prefix + "." + i, n.get(i), out);
      }
    } else if (!n.isNull() && !prefix.isEmpty()) {
      out.put(prefix, n.isNumber() ? (Object) n.doubleValue() : n.isBoolean() ? (Object) n.booleanValue() : n.asText());
    }
  }

  /**
   * Applies the query to rows (already in @timestamp descending order, the default) and renders at
   * most {@code maxRows}. {@code cancelled} is polled so StopQuery ends a long run.
   */
  Result run(InsightsQuery q, Iterator<Map<String, Object>> source, int maxRows, BooleanSupplier cancelled) {
    // Leading fields/filter/parse commands run on each row as it is read, so a filter keeps only its
    // matches in memory; what is held for the rest is capped rather than left to exhaust the heap.
    int perRow = 0;
    while (perRow < q.commands.size() && isPerRow(q.commands.get(perRow))) {
      perRow++;
    }
    List<Command> leading = q.commands.subList(0, perRow);
    List<Map<String, Object>> rows = new ArrayList<>();
    long read = 0;
    reading:
    while (source.hasNext()) {
      if ((read++ & 1023) == 0 && cancelled.getAsBoolean()) {
        throw new java.util.concurrent.CancellationException("query stopped");
      }
      Map<String, Object> row = source.next();
      for (Command c : leading) {
        if (!applyPerRow(c, row)) {
          continue reading;
        }
      }
      if (rows.size() >= maxHeldRows) {
        throw new IllegalStateException("the query holds more than " + maxHeldRows + " matching records for its"
            + " stats, sort or dedup; narrow the time range or filter first");
      }
      rows.add(row);
    }
    Set<String> fieldColumns = new LinkedHashSet<>();
    List<String> display = null;
    List<String> statsColumns = null;
    long matched = -1;
    for (Command c : q.commands) {
      if (c instanceof Fields f) {
        f.fields().forEach(n -> fieldColumns.add(n.name()));
      }
    }
    for (Command c : q.commands.subList(perRow, q.commands.size())) {
      if (isPerRow(c)) {
        rows.removeIf(row -> !applyPerRow(c, row));
      } else if (c instanceof Stats s) {
        if (matched < 0) {
          matched = rows.size();
        }
        rows = stats(s, rows);
        statsColumns = new ArrayList<>();
        for (Named n : s.by()) {
          statsColumns.add(n.name());
        }
        for (Agg a : s.aggs()) {
          statsColumns.add(a.name());
        }
      } else if (c instanceof Sort s) {
        rows.sort(comparator(s.keys()));
      } else if (c instanceof Limit l) {
        if (rows.size() > l.rows()) {
          rows = new ArrayList<>(rows.subList(0, l.rows()));
        }
      } else if (c instanceof Display d) {
        display = d.names();
      } else if (c instanceof Dedup d) {
        Set<List<String>> seen = new HashSet<>();
        rows.removeIf(row -> {
          List<String> key = new ArrayList<>();
          for (String n : d.names()) {
            Object v = row.get(n);
            if (v == null) {
              return false; // rows missing a dedup field are kept
            }
            key.add(render(v));
          }
          return !seen.add(key);
        });
      }
    }
    if (matched < 0) {
      matched = rows.size();
    }
    List<String> columns;
    boolean withPtr = false;
    if (display != null) {
      columns = display;
    } else if (statsColumns != null) {
      columns = statsColumns;
    } else if (!fieldColumns.isEmpty()) {
      columns = new ArrayList<>(fieldColumns);
      withPtr = true;
    } else {
      columns = List.of("@timestamp", "@message");
      withPtr = true;
    }
    List<Map<String, String>> out = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      if (out.size() == maxRows) {
        break;
      }
      Map<String, String> r = new LinkedHashMap<>();
      for (String col : columns) {
        Object v = row.get(col);
        if (v != null) { // fields absent from an event are left out of its row
          r.put(col, render(v));
        }
      }
      if (withPtr && !columns.contains("@ptr") && row.get("@ptr") != null) {
        r.put("@ptr", (String) row.get("@ptr"));
      }
      out.add(r);
    }
    return new Result(out, scanned, matched, bytes);
  }

  /** At most this many rows are held for the commands that need them all (stats, sort, dedup). */
  static final int MAX_HELD_ROWS = 1_000_000;

  private final int maxHeldRows;

  InsightsRunner() {
    this(MAX_HELD_ROWS);
  }

  InsightsRunner(int maxHeldRows) {
    this.maxHeldRows = maxHeldRows;
  }

  private static boolean isPerRow(Command c) {
    return c instanceof Fields || c instanceof Filter || c instanceof Parse;
  }

  /** Applies a fields, filter or parse command to one row; false when a filter drops it. */
  private static boolean applyPerRow(Command c, Map<String, Object> row) {
    if (c instanceof Fields f) {
      for (Named n : f.fields()) {
        Object v = n.expr().eval(row);
        if (v != null) {
          row.put(n.name(), v);
        }
      }
      return true;
    }
    if (c instanceof Filter f) {
      return truthy(f.condition().eval(row));
    }
    Parse p = (Parse) c;
    Object src = p.source().eval(row);
    if (src != null) {
      Matcher m = p.pattern().matcher(render(src));
      if (m.find()) {
        for (int g = 0; g < p.names().size(); g++) {
          String v = p.pattern().pattern().contains("(?<") ? m.group(p.names().get(g)) : m.group(g + 1);
          if (v != null) {
            row.put(p.names().get(g), v);
          }
        }
      }
    }
    return true;
  }

  private static List<Map<String, Object>> stats(Stats s, List<Map<String, Object>> rows) {
    Map<List<Object>, List<Map<String, Object>>> groups = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) {
      List<Object> key = new ArrayList<>(s.by().size());
      for (Named n : s.by()) {
        Object v = n.expr().eval(row);
        key.add(v == null ? null : v instanceof Instant ? v : render(v));
      }
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(row);
    }
    boolean byBin = false;
    for (Named n : s.by()) {
      byBin |= n.expr() instanceof InsightsQuery.Call call && call.fn().equals("bin");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<List<Object>, List<Map<String, Object>>> g : groups.entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < s.by().size(); i++) {
        if (g.getKey().get(i) != null) {
          row.put(s.by().get(i).name(), g.getKey().get(i));
        }
      }
      for (Agg a : s.aggs()) {
        Object v = aggregate(a, g.getValue());
        if (v != null) {
          row.put(a.name(), v);
        }
      }
      out.add(row);
    }
    if (byBin) {
      // Time series come newest bucket first, like the events they summarise.
      String binName = null;
      for (Named n : s.by()) {
        if (n.expr() instanceof InsightsQuery.Call call && call.fn().equals("bin")) {
          binName = n.name();
          break;
        }
      }
      out.sort(comparator(List.of(new SortKey(binName, true))));
    }
    return out;
  }

  @Nullable
  private static Object aggregate(Agg a, List<Map<String, Object>> rows) {
    if (a.fn().equals("count") && a.arg() == null) {
      return (double) rows.size();
    }
    List<Object> values = new ArrayList<>();
    List<Map<String, Object>> owners = new ArrayList<>();
    for (Map<String, Object> row : rows) {
      Object v = a.arg().eval(row);
      if (v != null) {
        values.add(v);
        owners.add(row);
      }
    }
    switch (a.fn()) {
      case "count":
        return (double) values.size();
      case "count_distinct": {
        Set<String> d = new HashSet<>();
        values.forEach(v -> d.add(render(v)));
        return (double) d.size();
      }
      case "earliest":
      case "latest": {
        int best = -1;
        for (int i = 0; i < owners.size(); i++) {
          if (best < 0 || compare(owners.get(i).get("@timestamp"), owners.get(best).get("@timestamp"))
              * (a.fn().equals("earliest") ? -1 : 1) > 0) {
            best = i;
          }
        }
        return best < 0 ? null : values.get(best);
      }
      default:
        break;
    }
    List<Double> nums = new ArrayList<>();
    for (Object v : values) {
      Double d = number(v);
      if (d != null) {
        nums.add(d);
      }
    }
    if (nums.isEmpty()) {
      return a.fn().equals("sum") ? 0.0 : null;
    }
    switch (a.fn()) {
      case "sum":
        return nums.stream().mapToDouble(Double::doubleValue).sum();
      case "avg":
        return nums.stream().mapToDouble(Double::doubleValue).average().orElse(0);
      case "min":
        return nums.stream().mapToDouble(Double::doubleValue).min().orElse(0);
      case "max":
        return nums.stream().mapToDouble(Double::doubleValue).max().orElse(0);
      default: { // pct: nearest rank, as the store's metric percentiles
        nums.sort(null);
        int rank = (int) Math.ceil(a.percentile() / 100.0 * nums.size());
        return nums.get(Math.max(0, Math.min(nums.size() - 1, rank - 1)));
      }
    }
  }

  static Comparator<Map<String, Object>> comparator(List<SortKey> keys) {
    return (x, y) -> {
      for (SortKey k : keys) {
        Object a = x.get(k.name());
        Object b = y.get(k.name());
        int c;
        if (a == null || b == null) {
          c = a == null ? (b == null ? 0 : 1) : -1; // rows without the field go last either way
          if (c != 0) {
            return c;
          }
          continue;
        }
        c = compare(a, b);
        if (c != 0) {
          return k.descending() ? -c : c;
        }
      }
      return 0;
    };
  }
}
