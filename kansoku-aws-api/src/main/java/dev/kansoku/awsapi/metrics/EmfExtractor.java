package dev.kansoku.awsapi.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.model.MetricPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extracts metrics from Embedded Metric Format log events, as CloudWatch Logs does on PutLogEvents:
 * one metric per (directive, dimension set, metric name), dimensions and values read from the
 * document's top-level members. Accepts version 1 ({@code _aws.CloudWatchMetrics}, {@code
 * _aws.Timestamp} in ms) and the legacy root-level form (awsemf {@code version: "0"}, Container
 * Insights). Values may be a number, an array of numbers (one sample each), a statistic set {@code
 * {Max, Min, Count, Sum}} or the awsemf exporter's histogram {@code {Values, Counts, Max, Min, Count,
 * Sum}}. A malformed document yields no metrics and is still a normal log event, as in CloudWatch;
 * invalid parts (a missing dimension member, a non-numeric value) are skipped, the rest extracted.
 * Stateless, thread-safe.
 */
public final class EmfExtractor {
  private static final Logger log = LoggerFactory.getLogger(EmfExtractor.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /** CloudWatch's limits per directive (EMF specification). */
  private static final int MAX_METRICS = 100;
  private static final int MAX_DIMENSIONS = 30;
  private static final int MAX_VALUES = 100;

  private EmfExtractor() {}

  /**
   * The metric points of one log event; empty when {@code message} is not an EMF document.
   *
   * @param logGroup where the event was put; only for diagnostics (CloudWatch adds no dimension for it)
   * @param timestampMillis the log event's timestamp, used when the document carries none
   */
  public static List<MetricPoint> extract(String message, String logGroup, long timestampMillis) {
    String text = message == null ? "" : message.strip();
    // cheap rejection of ordinary log lines before any parsing
    if (!text.startsWith("{") || !text.contains("CloudWatchMetrics")) {
      return List.of();
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      log.debug("log group {}: EMF-like event is not JSON: {}", logGroup, e.getOriginalMessage());
      return List.of();
    }
    if (root == null || !root.isObject()) {
      return List.of();
    }
    JsonNode aws = root.get("_aws");
    JsonNode directives;
    JsonNode ts;
    if (aws != null && aws.isObject()) {
      directives = aws.get("CloudWatchMetrics");
      ts = aws.get("Timestamp");
    } else {
      directives = root.get("CloudWatchMetrics"); // legacy: no _aws, directives and Timestamp at the root
      ts = root.get("Timestamp");
    }
    if (directives == null || !directives.isArray()) {
      return List.of();
    }
    long millis = timestampMillis;
    if (ts != null && (ts.isNumber() || ts.isTextual())) {
      try {
        millis = ts.isNumber() ? ts.asLong() : Long.parseLong(ts.asText().trim());
      } catch (NumberFormatException e) {
        log.debug("log group {}: EMF Timestamp {} is not epoch milliseconds; using the event's", logGroup, ts);
      }
    }
    long nanos = Math.multiplyExact(millis, 1_000_000L);
    List<MetricPoint> out = new ArrayList<>();
    for (JsonNode d : directives) {
      directive(out, root, d, nanos, logGroup);
    }
    return out;
  }

  private static void directive(List<MetricPoint> out, JsonNode root, JsonNode d, long nanos, String logGroup) {
    JsonNode nsNode = d.get("Namespace");
    JsonNode metrics = d.get("Metrics");
    if (nsNode == null || !nsNode.isTextual() || nsNode.asText().isEmpty() || metrics == null || !metrics.isArray()) {
      log.debug("log group {}: EMF directive without Namespace or Metrics skipped: {}", logGroup, d);
      return;
    }
    String ns = nsNode.asText();
    List<Map<String, String>> dimensionSets = new ArrayList<>();
    JsonNode sets = d.get("Dimensions");
    if (sets == null || !sets.isArray() || sets.isEmpty()) {
      dimensionSets.add(Map.of()); // no dimension sets: the metric without dimensions
    } else {
      for (JsonNode set : sets) {
        Map<String, String> dims = dimensionSet(root, set);
        if (dims != null) {
          dimensionSets.add(dims);
        } else {
          log.debug("log group {}: EMF dimension set {} skipped (a key is missing or not a string)", logGroup, set);
        }
      }
    }
    int n = 0;
    for (JsonNode m : metrics) {
      if (n++ >= MAX_METRICS) {
        break;
      }
      JsonNode nameNode = m.get("Name");
      if (nameNode == null || !nameNode.isTextual() || nameNode.asText().isEmpty()) {
        continue;
      }
      String name = nameNode.asText();
      JsonNode unitNode = m.get("Unit");
      String unit = unitNode != null && CloudWatchMetrics.UNITS.contains(unitNode.asText()) ? unitNode.asText() : "None";
      JsonNode value = root.get(name);
      if (value == null) {
        continue;
      }
      for (Map<String, String> dims : dimensionSets) {
        values(out, ns, name, unit, dims, nanos, value);
      }
    }
  }

  /** The values of the set's keys, or null when one is absent (CloudWatch then drops that set). */
  private static Map<String, String> dimensionSet(JsonNode root, JsonNode set) {
    if (!set.isArray() || set.size() > MAX_DIMENSIONS) {
      return null;
    }
    Map<String, String> dims = new TreeMap<>();
    for (JsonNode key : set) {
      JsonNode v = key.isTextual() ? root.get(key.asText()) : null;
      if (v == null || v.isNull()) {
        return null;
      }
      // the spec wants strings; awsemf also names object members (its "kubernetes" block) as dimensions,
      // which are kept as their JSON text rather than losing the whole set
      String value = v.isValueNode() ? v.asText() : v.toString();
      if (value.isEmpty() || value.length() > 1024) {
        return null;
      }
      dims.put(key.asText(), value);
    }
    return dims;
  }

  private static void values(List<MetricPoint> out, String ns, String name, String unit, Map<String, String> dims,
      long nanos, JsonNode v) {
    if (v.isNumber()) {
      finite(v.doubleValue(), x -> out.add(Points.value(ns, name, unit, dims, nanos, x)));
    } else if (v.isArray()) {
      int i = 0;
      for (JsonNode e : v) {
        if (i++ >= MAX_VALUES) {
          break;
        }
        if (e.isNumber()) {
          finite(e.doubleValue(), x -> out.add(Points.value(ns, name, unit, dims, nanos, x)));
        }
      }
    } else if (v.isObject()) {
      double count = num(v, "Count");
      double sum = num(v, "Sum");
      double min = num(v, "Min");
      double max = num(v, "Max");
      if (!(count >= 0) || Double.isNaN(sum) || Double.isNaN(min) || Double.isNaN(max)) {
        return;
      }
      JsonNode values = v.get("Values");
      JsonNode counts = v.get("Counts");
      // awsemf splits exponential histograms of > 100 buckets into several events and gives each one
      // the whole point's Min/Max, which can cross (Min > Max); they then say nothing about this part
      boolean crossed = min > max;
      if (values != null && counts != null && values.isArray() && counts.isArray() && values.size() == counts.size()
          && !values.isEmpty()) {
        histogram(out, ns, name, unit, dims, nanos, values, counts, sum, crossed ? Double.NaN : min,
            crossed ? Double.NaN : max);
      } else if (count > 0 && !crossed) {
        Points.statisticSet(out, ns, name, unit, dims, nanos, count, sum, min, max);
      }
    }
  }

  /**
   * awsemf's histogram: each value stands for the samples of one bucket, so it is stored as a
   * histogram whose bucket bounds are the distinct values, with the document's exact count, sum, min
   * and max (the values alone would not reproduce Sum).
   */
  private static void histogram(List<MetricPoint> out, String ns, String name, String unit, Map<String, String> dims,
      long nanos, JsonNode values, JsonNode counts, double sum, double min, double max) {
    TreeMap<Double, Long> byValue = new TreeMap<>();
    long total = 0;
    for (int i = 0; i < values.size(); i++) {
      double x = values.get(i).asDouble(Double.NaN);
      long c = Math.round(counts.get(i).asDouble(0));
      if (!Double.isFinite(x) || c < 0) {
        return;
      }
      byValue.merge(x, c, Long::sum);
      total += c;
    }
    List<Long> bucketCounts = new ArrayList<>(byValue.values());
    bucketCounts.add(0L);
    if (total == 0) {
      return;
    }
    out.add(MetricPoint.histogram(ns, name, unit, dims, nanos, total, sum, min, max, new ArrayList<>(byValue.keySet()),
        bucketCounts));
  }

  private static double num(JsonNode o, String field) {
    JsonNode v = o.get(field);
    return v != null && v.isNumber() ? v.doubleValue() : Double.NaN;
  }

  private static void finite(double x, java.util.function.DoubleConsumer sink) {
    if (Double.isFinite(x)) {
      sink.accept(x);
    }
  }
}
