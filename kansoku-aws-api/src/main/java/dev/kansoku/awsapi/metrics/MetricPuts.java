package dev.kansoku.awsapi.metrics;

import static dev.kansoku.awsapi.metrics.Params.child;
import static dev.kansoku.awsapi.metrics.Params.member;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.awsapi.WriteDoors;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PutMetricData, the one write of CloudWatch: every datum is validated as CloudWatch validates it
 * (limits and error codes), turned into metric points ({@link Points}), and the whole request goes to
 * the metrics pipelines of the {@code kansoku} receiver as one OTLP request ({@link MetricsToOtlp});
 * the answer waits until the pipeline accepted it. Thread-safe.
 */
final class MetricPuts {
  static final String OPERATION = "PutMetricData";
  private static final double MAX_MAGNITUDE = Math.pow(2, 360);

  private final WriteDoors doors;
  private final Clock clock;

  MetricPuts(WriteDoors doors, Clock clock) {
    this.doors = doors;
    this.clock = clock;
  }

  /** What the metrics pipelines' memory_limiter is asked before a request of {@code operation} is read. */
  Admission admission(String operation) {
    return operation.equals(OPERATION) ? doors.admission(Signal.METRICS) : Admission.ALWAYS;
  }

  Map<String, Object> putMetricData(JsonNode in) {
    DataConsumer<ExportMetricsServiceRequest> next = doors.consumer(Signal.METRICS)
        .orElseThrow(() -> CwError.unavailable(doors.noPipeline(Signal.METRICS, OPERATION)));
    String ns = CloudWatchMetrics.namespace(Params.requiredString(in, "Namespace", ""), "Namespace");
    if (ns.startsWith("AWS/")) {
      throw CwError.invalidValue("The value " + ns + " for parameter Namespace is invalid: the AWS/ prefix is "
          + "reserved for AWS services.");
    }
    // Datums by their path in the request: MetricData's, then those of each EntityMetricData entry. The
    // entity (KeyAttributes, Attributes) links the metric to other telemetry in CloudWatch's console; it
    // is not part of the metric's identity, so the datums are stored as if sent in MetricData.
    Map<String, JsonNode> data = new LinkedHashMap<>();
    List<JsonNode> plain = Params.list(in, "MetricData", "");
    for (int i = 0; i < plain.size(); i++) {
      data.put(member("MetricData", i), plain.get(i));
    }
    List<JsonNode> entities = Params.list(in, "EntityMetricData", "");
    for (int i = 0; i < entities.size(); i++) {
      String path = member("EntityMetricData", i);
      List<JsonNode> datums = Params.list(entities.get(i), "MetricData", path);
      for (int j = 0; j < datums.size(); j++) {
        data.put(member(child(path, "MetricData"), j), datums.get(j));
      }
    }
    if (data.isEmpty()) {
      throw CwError.missing("MetricData");
    }
    if (data.size() > 1000) {
      throw CwError.invalidValue(entities.isEmpty()
          ? "The collection MetricData must not have a size greater than 1000 (was " + data.size() + ")."
          : "The collections MetricData and EntityMetricData must not have a size greater than 1000 together (was "
              + data.size() + ").");
    }
    Instant now = clock.instant();
    List<MetricPoint> points = new ArrayList<>();
    data.forEach((path, d) -> datum(points, ns, d, path, now));
    // all datums validated before anything is delivered: a rejected request stores nothing
    if (!points.isEmpty()) {
      try {
        next.consume(MetricsToOtlp.request(points));
      } catch (ConsumeException e) {
        throw CwError.refused(e);
      }
    }
    return Map.of();
  }

  private static void datum(List<MetricPoint> out, String ns, JsonNode d, String path, Instant now) {
    String name = Params.sized(Params.requiredString(d, "MetricName", path), 1, 255, child(path, "MetricName"));
    Map<String, String> dims = CloudWatchMetrics.dimensions(d, path, 30);
    String unit = CloudWatchMetrics.unit(Params.string(d, "Unit", path), child(path, "Unit"));
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
}
