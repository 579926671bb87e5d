package dev.kansoku.awsapi.metrics;

import static dev.kansoku.awsapi.metrics.Params.child;
import static dev.kansoku.awsapi.metrics.Params.member;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.store.MetricQuery;
import dev.kansoku.store.MetricSeries;
import dev.kansoku.store.Statistic;
import dev.kansoku.store.Storage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * GetMetricData (metric stats and metric math) and GetMetricStatistics: validated into store metric
 * queries, answered from the store's series. Stateless besides the store.
 */
final class MetricStatistics {
  private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]*");

  private final Storage storage;

  MetricStatistics(Storage storage) {
    this.storage = storage;
  }

  /** One MetricDataQuery, validated. Exactly one of {@code stat} and {@code expression} is set. */
  private record DataQuery(String id, String path, @Nullable String label, boolean returnData,
      @Nullable MetricQuery stat, @Nullable String expression) {}

  Map<String, Object> getMetricData(JsonNode in) {
    Instant start = Params.requiredTimestamp(in, "StartTime", "");
    Instant end = Params.requiredTimestamp(in, "EndTime", "");
    if (!end.isAfter(start)) {
      throw CwError.invalidValue("The parameter StartTime must be less than the parameter EndTime (were " + start
          + " and " + end + ").");
    }
    List<JsonNode> raw = Params.list(in, "MetricDataQueries", "");
    if (raw.isEmpty()) {
      throw CwError.missing("MetricDataQueries");
    }
    if (raw.size() > 500) {
      throw CwError.invalidValue("The collection MetricDataQueries must not have a size greater than 500 (was "
          + raw.size() + ").");
    }
    String scanBy = Params.string(in, "ScanBy", "");
    if (scanBy != null && !scanBy.equals("TimestampDescending") && !scanBy.equals("TimestampAscending")) {
      throw CwError.invalidValue(scanBy, "ScanBy");
    }
    boolean descending = !"TimestampAscending".equals(scanBy);
    Integer maxPoints = Params.integer(in, "MaxDatapoints", "");
    int pageSize = maxPoints == null ? 100_800 : maxPoints;
    if (pageSize <= 0) {
      throw CwError.invalidValue(pageSize, "MaxDatapoints");
    }
    String token = Params.string(in, "NextToken", "");
    long offset = token == null ? 0 : CloudWatchMetrics.decodeToken(token, "gmd");

    List<DataQuery> queries = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < raw.size(); i++) {
      DataQuery q = dataQuery(raw.get(i), member("MetricDataQueries", i), start, end);
      if (!ids.add(q.id())) {
        throw CwError.invalidValue("The value " + q.id() + " for parameter " + child(q.path(), "Id")
            + " is invalid: Ids must be unique.");
      }
      queries.add(q);
    }

    Map<String, TreeMap<Long, Double>> metricSeries = new LinkedHashMap<>();
    for (DataQuery q : queries) {
      if (q.stat() != null) {
        metricSeries.put(q.id(), fetch(q.stat()));
      }
    }
    Map<String, TreeMap<Long, Double>> all = new HashMap<>(metricSeries);
    MetricMath.Context math = new MetricMath.Context(metricSeries, id -> {
      for (DataQuery q : queries) {
        if (q.id().equals(id) && q.expression() != null) {
          return q.expression();
        }
      }
      return null;
    });
    for (DataQuery q : queries) {
      if (q.expression() != null) {
        try {
          all.put(q.id(), math.series(q.id()));
        } catch (MetricMath.MathException e) {
          throw CwError.invalidValue("The value " + q.expression() + " for parameter " + child(q.path(), "Expression")
              + " is invalid: " + e.getMessage());
        }
      }
    }

    // pages cut the results' datapoints, concatenated in query order, every MaxDatapoints points
    List<Object> results = new ArrayList<>();
    long seen = 0;
    long emitted = 0;
    boolean more = false;
    for (DataQuery q : queries) {
      if (!q.returnData()) {
        continue;
      }
      List<Map.Entry<Long, Double>> points = new ArrayList<>((descending ? all.get(q.id()).descendingMap()
          : all.get(q.id())).entrySet());
      long from = Math.max(0, Math.min(points.size(), offset - seen));
      long to = Math.max(from, Math.min(points.size(), offset + pageSize - seen));
      seen += points.size();
      if (to < points.size()) {
        more = true;
      }
      if (offset > 0 && from == to) {
        continue; // already returned on an earlier page
      }
      List<Object> ts = new ArrayList<>();
      List<Object> vs = new ArrayList<>();
      for (Map.Entry<Long, Double> p : points.subList((int) from, (int) to)) {
        ts.add(Instant.ofEpochSecond(0, p.getKey()));
        vs.add(p.getValue());
      }
      emitted += to - from;
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("Id", q.id());
      r.put("Label", q.label() != null ? q.label() : q.stat() != null ? q.stat().name() : q.id());
      r.put("Timestamps", ts);
      r.put("Values", vs);
      r.put("StatusCode", to < points.size() ? "PartialData" : "Complete");
      r.put("Messages", List.of());
      results.add(r);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("MetricDataResults", results);
    if (more) {
      out.put("NextToken", CloudWatchMetrics.encodeToken("gmd", offset + emitted));
    }
    out.put("Messages", List.of());
    return out;
  }

  private DataQuery dataQuery(JsonNode q, String path, Instant start, Instant end) {
    String id = Params.requiredString(q, "Id", path);
    if (id.length() > 255 || !QUERY_ID.matcher(id).matches()) {
      throw CwError.invalidValue("The value " + id + " for parameter " + child(path, "Id") + " is invalid: it must "
          + "start with a lowercase letter and contain only letters, digits and underscores.");
    }
    String label = Params.string(q, "Label", path);
    boolean returnData = Params.bool(q, "ReturnData", path, true);
    JsonNode stat = Params.struct(q, "MetricStat", path);
    String expression = Params.string(q, "Expression", path);
    if ((stat == null) == (expression == null)) {
      throw CwError.combination("Exactly one of " + child(path, "MetricStat") + " and " + child(path, "Expression")
          + " must be specified for query " + id + ".");
    }
    if (expression != null) {
      Params.sized(expression, 1, 2048, child(path, "Expression"));
      return new DataQuery(id, path, label, returnData, null, expression);
    }
    String sp = child(path, "MetricStat");
    JsonNode metric = Params.struct(stat, "Metric", sp);
    if (metric == null) {
      throw CwError.missing(child(sp, "Metric"));
    }
    Integer period = Params.integer(stat, "Period", sp);
    if (period == null) {
      throw CwError.missing(child(sp, "Period"));
    }
    String statName = Params.requiredString(stat, "Stat", sp);
    return new DataQuery(id, path, label, returnData,
        metricQuery(metric, child(sp, "Metric"), period, child(sp, "Period"), List.of(statName), child(sp, "Stat"),
            start, end),
        null);
  }

  private static MetricQuery metricQuery(JsonNode metric, String path, int period, String periodParam,
      List<String> stats, String statParam, Instant start, Instant end) {
    String ns = CloudWatchMetrics.namespace(Params.requiredString(metric, "Namespace", path), child(path, "Namespace"));
    String name = Params.sized(Params.requiredString(metric, "MetricName", path), 1, 255, child(path, "MetricName"));
    Map<String, String> dims = CloudWatchMetrics.dimensions(metric, path, 30);
    if (period <= 0 || (period >= 60 ? period % 60 != 0 : !Set.of(1, 5, 10, 20, 30).contains(period))) {
      throw CwError.invalidValue("The value " + period + " for parameter " + periodParam + " is invalid: it must be "
          + "1, 5, 10, 20, 30, 60 or a multiple of 60.");
    }
    MetricQuery.Builder b = MetricQuery.builder(ns, name).window(start, end).periodSeconds(period);
    dims.forEach(b::dimension);
    for (String s : stats) {
      try {
        b.statistic(Statistic.parse(s));
      } catch (IllegalArgumentException e) {
        throw CwError.invalidValue("The value " + s + " for parameter " + statParam + " is invalid: " + e.getMessage());
      }
    }
    return b.build();
  }

  /** One query's values by period start (epoch nanos); several matching series (not with EXACT) merge. */
  private TreeMap<Long, Double> fetch(MetricQuery q) {
    TreeMap<Long, Double> out = new TreeMap<>();
    Statistic s = q.statistics().get(0);
    for (MetricSeries series : storage.metricSearch().query(q)) {
      List<Double> values = series.values(s);
      for (int i = 0; i < values.size(); i++) {
        double v = values.get(i);
        if (!Double.isNaN(v)) {
          out.put(series.timestamps().get(i), v);
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------- GetMetricStatistics

  Map<String, Object> getMetricStatistics(JsonNode in) {
    Instant start = Params.requiredTimestamp(in, "StartTime", "");
    Instant end = Params.requiredTimestamp(in, "EndTime", "");
    if (!end.isAfter(start)) {
      throw CwError.invalidValue("The parameter StartTime must be less than the parameter EndTime (were " + start
          + " and " + end + ").");
    }
    Integer period = Params.integer(in, "Period", "");
    if (period == null) {
      throw CwError.missing("Period");
    }
    List<String> statistics = strings(in, "Statistics");
    List<String> extended = strings(in, "ExtendedStatistics");
    if (statistics.isEmpty() && extended.isEmpty()) {
      throw CwError.missing("Statistics");
    }
    if (statistics.size() > 5 || extended.size() > 10) {
      throw CwError.invalidValue("At most 5 Statistics and 10 ExtendedStatistics may be requested (were "
          + statistics.size() + " and " + extended.size() + ").");
    }
    for (int i = 0; i < statistics.size(); i++) {
      if (!Set.of("SampleCount", "Average", "Sum", "Minimum", "Maximum").contains(statistics.get(i))) {
        throw CwError.invalidValue(statistics.get(i), member("Statistics", i));
      }
    }
    for (int i = 0; i < extended.size(); i++) {
      if (!extended.get(i).startsWith("p")) {
        throw CwError.invalidValue(extended.get(i), member("ExtendedStatistics", i));
      }
    }
    if (period > 0 && Duration.between(start, end).getSeconds() / period > 1440) {
      throw CwError.combination("You have requested up to " + Duration.between(start, end).getSeconds() / period
          + " datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing "
          + "Period, or decreasing the time range.");
    }
    List<String> all = new ArrayList<>(statistics);
    all.addAll(extended);
    MetricQuery q = metricQuery(in, "", period, "Period", all, "Statistics", start, end);
    String unitFilter = Params.string(in, "Unit", "");
    if (unitFilter != null) {
      CloudWatchMetrics.unit(unitFilter, "Unit");
    }
    List<Object> datapoints = new ArrayList<>();
    for (MetricSeries s : storage.metricSearch().query(q)) {
      String unit = s.unit().isEmpty() ? "None" : s.unit();
      if (unitFilter != null && !unitFilter.equals(unit)) {
        continue;
      }
      for (int i = 0; i < s.timestamps().size(); i++) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("Timestamp", Instant.ofEpochSecond(0, s.timestamps().get(i)));
        for (String st : statistics) {
          putFinite(d, st, s.values(Statistic.parse(st)).get(i));
        }
        d.put("Unit", unit);
        if (!extended.isEmpty()) {
          Map<String, Object> ext = new LinkedHashMap<>();
          for (String st : extended) {
            putFinite(ext, st, s.values(Statistic.parse(st)).get(i));
          }
          d.put("ExtendedStatistics", new Wire.StringMap(ext));
        }
        datapoints.add(d);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("Label", q.name());
    out.put("Datapoints", datapoints);
    return out;
  }

  private static void putFinite(Map<String, Object> m, String key, double v) {
    if (Double.isFinite(v)) {
      m.put(key, v);
    }
  }

  private static List<String> strings(JsonNode in, String name) {
    List<String> out = new ArrayList<>();
    List<JsonNode> list = Params.list(in, name, "");
    for (int i = 0; i < list.size(); i++) {
      if (!list.get(i).isValueNode()) {
        throw CwError.invalidValue(list.get(i), member(name, i));
      }
      out.add(list.get(i).asText());
    }
    return out;
  }
}
