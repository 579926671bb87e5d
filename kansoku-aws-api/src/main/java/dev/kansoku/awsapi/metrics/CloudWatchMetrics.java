package dev.kansoku.awsapi.metrics;

import static dev.kansoku.awsapi.metrics.Params.child;
import static dev.kansoku.awsapi.metrics.Params.member;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.store.MetricQuery;
import dev.kansoku.store.MetricSeries;
import dev.kansoku.store.Statistic;
import dev.kansoku.store.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * The four operations over the store, protocol-neutral: each reads the request tree, validates it
 * into store queries/points (CloudWatch's limits and error codes), and returns the output structure
 * for {@link Wire} to encode. Thread-safe (stateless besides the store).
 */
final class CloudWatchMetrics {
  static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
      "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
      "None");
  private static final Pattern QUERY_ID = Pattern.compile("[a-z][a-zA-Z0-9_]*");
  private static final double MAX_MAGNITUDE = Math.pow(2, 360);
  private static final int LIST_PAGE = 500;
  /** ListMetrics: the whole retained history in one period (the store's retention replaces AWS's two weeks). */
  private static final long ALL_TIME_PERIOD = Long.MAX_VALUE / 1_000_000_000L;

  private final Storage storage;
  private final Clock clock;

  CloudWatchMetrics(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  Map<String, Object> invoke(String op, JsonNode in) {
    return switch (op) {
      case "PutMetricData" -> putMetricData(in);
      case "GetMetricData" -> getMetricData(in);
      case "GetMetricStatistics" -> getMetricStatistics(in);
      case "ListMetrics" -> listMetrics(in);
      default -> throw CwError.invalidAction(op);
    };
  }

  // ---------------------------------------------------------------------------------------------- PutMetricData

  Map<String, Object> putMetricData(JsonNode in) {
    String ns = namespace(Params.requiredString(in, "Namespace", ""), "Namespace");
    if (ns.startsWith("AWS/")) {
      throw CwError.invalidValue("The value " + ns + " for parameter Namespace is invalid: the AWS/ prefix is "
          + "reserved for AWS services.");
    }
    List<JsonNode> data = Params.list(in, "MetricData", "");
    if (data.isEmpty() && Params.get(in, "EntityMetricData") == null) {
      throw CwError.missing("MetricData");
    }
    if (data.size() > 1000) {
      throw CwError.invalidValue("The collection MetricData must not have a size greater than 1000 (was "
          + data.size() + ").");
    }
    Instant now = clock.instant();
    List<MetricPoint> points = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      datum(points, ns, data.get(i), member("MetricData", i), now);
    }
    // all datums validated before anything is written: a rejected request stores nothing
    storage.metricWriter().write(points);
    return Map.of();
  }

  private static void datum(List<MetricPoint> out, String ns, JsonNode d, String path, Instant now) {
    String name = Params.sized(Params.requiredString(d, "MetricName", path), 1, 255, child(path, "MetricName"));
    Map<String, String> dims = dimensions(d, path, 30);
    String unit = unit(Params.string(d, "Unit", path), child(path, "Unit"));
    Integer resolution = Params.integer(d, "StorageResolution", path);
    if (resolution != null && resolution != 1 && resolution != 60) {
      throw CwError.invalidValue(resolution, child(path, "StorageResolution"));
    }
    Instant t = Params.timestamp(d, "Timestamp", path);
    if (t == null) {
      t = now;
    } else if (t.isBefore(now.minus(Duration.ofDays(14))) || t.isAfter(now.plus(Duration.ofHours(2)))) {
      throw CwError.invalidValue("The parameter " + child(path, "Timestamp") + " must specify a time no more than "
          + "two weeks in the past and no more than two hours in the future (was " + t + ").");
    }
    long nanos = t.getEpochSecond() * 1_000_000_000L + t.getNano();
    Double value = Params.number(d, "Value", path);
    JsonNode stats = Params.struct(d, "StatisticValues", path);
    List<JsonNode> values = Params.list(d, "Values", path);
    List<JsonNode> counts = Params.list(d, "Counts", path);
    int shapes = (value != null ? 1 : 0) + (stats != null ? 1 : 0) + (values.isEmpty() ? 0 : 1);
    if (shapes > 1) {
      throw CwError.combination("The parameters " + child(path, "Value") + ", " + child(path, "StatisticValues")
          + " and " + child(path, "Values") + " are mutually exclusive and you have specified more than one.");
    }
    if (shapes == 0) {
      throw CwError.combination("One of the parameters " + child(path, "Value") + ", "
          + child(path, "StatisticValues") + " or " + child(path, "Values") + " must be specified.");
    }
    if (value != null) {
      out.add(Points.value(ns, name, unit, dims, nanos, finite(value, child(path, "Value"))));
    } else if (stats != null) {
      String sp = child(path, "StatisticValues");
      double count = finite(required(stats, "SampleCount", sp), child(sp, "SampleCount"));
      double sum = finite(required(stats, "Sum", sp), child(sp, "Sum"));
      double min = finite(required(stats, "Minimum", sp), child(sp, "Minimum"));
      double max = finite(required(stats, "Maximum", sp), child(sp, "Maximum"));
      if (count <= 0) {
        throw CwError.invalidValue(count, child(sp, "SampleCount"));
      }
      if (min > max) {
        throw CwError.invalidValue("The value " + min + " for parameter " + child(sp, "Minimum")
            + " is invalid: greater than Maximum " + max + ".");
      }
      Points.statisticSet(out, ns, name, unit, dims, nanos, count, sum, min, max);
    } else {
      if (values.size() > 150) {
        throw CwError.invalidValue("The collection " + child(path, "Values") + " must not have a size greater than "
            + "150 (was " + values.size() + ").");
      }
      if (!counts.isEmpty() && counts.size() != values.size()) {
        throw CwError.combination("The parameters " + child(path, "Values") + " and " + child(path, "Counts")
            + " must be of the same size (were " + values.size() + " and " + counts.size() + ").");
      }
      double[] v = new double[values.size()];
      double[] c = new double[values.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = finite(Params.number(values.get(i), member(child(path, "Values"), i)), member(child(path, "Values"), i));
        c[i] = counts.isEmpty() ? 1 : finite(Params.number(counts.get(i), member(child(path, "Counts"), i)),
            member(child(path, "Counts"), i));
        if (c[i] < 0) {
          throw CwError.invalidValue(c[i], member(child(path, "Counts"), i));
        }
      }
      Points.distribution(out, ns, name, unit, dims, nanos, v, c);
    }
  }

  private static double required(JsonNode node, String name, String path) {
    Double v = Params.number(node, name, path);
    if (v == null) {
      throw CwError.missing(child(path, name));
    }
    return v;
  }

  private static double finite(double v, String param) {
    if (!Double.isFinite(v) || Math.abs(v) > MAX_MAGNITUDE) {
      throw CwError.invalidValue(v, param);
    }
    return v;
  }

  private static String namespace(String ns, String param) {
    Params.sized(ns, 1, 255, param);
    if (ns.startsWith(":") || !ns.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw CwError.invalidValue(ns, param);
    }
    return ns;
  }

  private static String unit(@Nullable String unit, String param) {
    if (unit == null) {
      return "None";
    }
    if (!UNITS.contains(unit)) {
      throw CwError.invalidValue(unit, param);
    }
    return unit;
  }

  /** {@code Dimensions} of a datum or metric: names and values sized as the model says, no duplicates. */
  private static Map<String, String> dimensions(JsonNode node, String path, int max) {
    List<JsonNode> list = Params.list(node, "Dimensions", path);
    String dp = child(path, "Dimensions");
    if (list.size() > max) {
      throw CwError.invalidValue("The collection " + dp + " must not have a size greater than " + max + " (was "
          + list.size() + ").");
    }
    Map<String, String> dims = new TreeMap<>();
    for (int i = 0; i < list.size(); i++) {
      String p = member(dp, i);
      String name = Params.sized(Params.requiredString(list.get(i), "Name", p), 1, 255, child(p, "Name"));
      String value = Params.sized(Params.requiredString(list.get(i), "Value", p), 1, 1024, child(p, "Value"));
      if (dims.put(name, value) != null) {
        throw CwError.invalidValue("The value " + name + " for parameter " + child(p, "Name")
            + " is invalid: the dimension is given twice.");
      }
    }
    return dims;
  }

  // ---------------------------------------------------------------------------------------------- GetMetricData

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
    long offset = token == null ? 0 : decodeToken(token, "gmd");

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
      out.put("NextToken", encodeToken("gmd", offset + emitted));
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
    String ns = namespace(Params.requiredString(metric, "Namespace", path), child(path, "Namespace"));
    String name = Params.sized(Params.requiredString(metric, "MetricName", path), 1, 255, child(path, "MetricName"));
    Map<String, String> dims = dimensions(metric, path, 30);
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
      unit(unitFilter, "Unit");
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

  // ---------------------------------------------------------------------------------------------- ListMetrics

  Map<String, Object> listMetrics(JsonNode in) {
    String ns = Params.string(in, "Namespace", "");
    String name = Params.string(in, "MetricName", "");
    List<JsonNode> filters = Params.list(in, "Dimensions", "");
    if (filters.size() > 10) {
      throw CwError.invalidValue("The collection Dimensions must not have a size greater than 10 (was "
          + filters.size() + ").");
    }
    Map<String, String> withValue = new TreeMap<>();
    Set<String> names = new TreeSet<>();
    for (int i = 0; i < filters.size(); i++) {
      String p = member("Dimensions", i);
      String k = Params.sized(Params.requiredString(filters.get(i), "Name", p), 1, 255, child(p, "Name"));
      String v = Params.string(filters.get(i), "Value", p);
      names.add(k);
      if (v != null) {
        withValue.put(k, Params.sized(v, 1, 1024, child(p, "Value")));
      }
    }
    String recently = Params.string(in, "RecentlyActive", "");
    if (recently != null && !recently.equals("PT3H")) {
      throw CwError.invalidValue(recently, "RecentlyActive");
    }
    String token = Params.string(in, "NextToken", "");
    long offset = token == null ? 0 : decodeToken(token, "lm");
    long startNanos = recently == null ? 0
        : clock.instant().minus(Duration.ofHours(3)).getEpochSecond() * 1_000_000_000L;

    List<Object> metrics = new ArrayList<>();
    for (String n : ns == null ? storage.names().metricNamespaces() : List.of(ns)) {
      for (String m : name == null ? storage.names().metricNames(n) : List.of(name)) {
        MetricQuery.Builder b = MetricQuery.builder(n, m).dimensionMatch(MetricQuery.DimensionMatch.SUBSET)
            .window(startNanos, Long.MAX_VALUE).periodSeconds(ALL_TIME_PERIOD).statistic(Statistic.SAMPLE_COUNT);
        withValue.forEach(b::dimension);
        for (MetricSeries s : storage.metricSearch().query(b.build())) {
          if (!s.dimensions().keySet().containsAll(names)) {
            continue;
          }
          List<Object> dims = new ArrayList<>();
          new TreeMap<>(s.dimensions()).forEach((k, v) -> dims.add(dimension(k, v)));
          Map<String, Object> metric = new LinkedHashMap<>();
          metric.put("Namespace", n);
          metric.put("MetricName", m);
          metric.put("Dimensions", dims);
          metrics.add(metric);
        }
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    int from = (int) Math.min(offset, metrics.size());
    int to = Math.min(metrics.size(), from + LIST_PAGE);
    out.put("Metrics", new ArrayList<>(metrics.subList(from, to)));
    if (to < metrics.size()) {
      out.put("NextToken", encodeToken("lm", to)); // no token on the last page: the CLI paginates until none
    }
    return out;
  }

  /** Ordered, so that awsQuery's XML lists Name before Value like AWS does. */
  private static Map<String, Object> dimension(String name, String value) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("Name", name);
    d.put("Value", value);
    return d;
  }

  // ---------------------------------------------------------------------------------------------- tokens

  private static String encodeToken(String kind, long offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static long decodeToken(String token, String kind) {
    try {
      String s = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (s.startsWith(kind + ":")) {
        long v = Long.parseLong(s.substring(kind.length() + 1));
        if (v >= 0) {
          return v;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the error
    }
    throw CwError.invalidNextToken(token);
  }
}
