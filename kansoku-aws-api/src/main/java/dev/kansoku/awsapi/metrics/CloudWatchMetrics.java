package dev.kansoku.awsapi.metrics;

import static dev.kansoku.awsapi.metrics.Params.child;
import static dev.kansoku.awsapi.metrics.Params.member;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.awsapi.WriteDoors;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.store.MetricQuery;
import dev.kansoku.store.MetricSeries;
import dev.kansoku.store.Statistic;
import dev.kansoku.store.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.annotation.Nullable;

/**
 * The four operations, protocol-neutral: each reads the request tree, validates it (CloudWatch's
 * limits and error codes) and returns the output structure for {@link Wire} to encode. By role:
 * PutMetricData into the pipeline ({@link MetricPuts}), GetMetricData and GetMetricStatistics from
 * the store ({@link MetricStatistics}); ListMetrics and the validation they share are here.
 * Thread-safe (stateless besides the store and the pipelines).
 */
final class CloudWatchMetrics {
  static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
      "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
      "None");
  private static final int LIST_PAGE = 500;
  /** ListMetrics: the whole retained history in one period (the store's retention replaces AWS's two weeks). */
  private static final long ALL_TIME_PERIOD = Long.MAX_VALUE / 1_000_000_000L;

  private final Storage storage;
  private final Clock clock;
  private final MetricPuts puts;
  private final MetricStatistics statistics;

  CloudWatchMetrics(Storage storage, WriteDoors doors, Clock clock) {
    this.storage = storage;
    this.clock = clock;
    this.puts = new MetricPuts(doors, clock);
    this.statistics = new MetricStatistics(storage);
  }

  Map<String, Object> invoke(String op, JsonNode in) {
    return switch (op) {
      case MetricPuts.OPERATION -> puts.putMetricData(in);
      case "GetMetricData" -> statistics.getMetricData(in);
      case "GetMetricStatistics" -> statistics.getMetricStatistics(in);
      case "ListMetrics" -> listMetrics(in);
      default -> throw CwError.invalidAction(op);
    };
  }

  /** What the memory_limiter of {@code op}'s pipelines is asked before its body is read. */
  Admission admission(String op) {
    return puts.admission(op);
  }

  static String namespace(String ns, String param) {
    Params.sized(ns, 1, 255, param);
    if (ns.startsWith(":") || !ns.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
      throw CwError.invalidValue(ns, param);
    }
    return ns;
  }

  static String unit(@Nullable String unit, String param) {
    if (unit == null) {
      return "None";
    }
    if (!UNITS.contains(unit)) {
      throw CwError.invalidValue(unit, param);
    }
    return unit;
  }

  /** {@code Dimensions} of a datum or metric: names and values sized as the model says, no duplicates. */
  static Map<String, String> dimensions(JsonNode node, String path, int max) {
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

  static String encodeToken(String kind, long offset) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString((kind + ":" + offset).getBytes(StandardCharsets.UTF_8));
  }

  static long decodeToken(String token, String kind) {
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
