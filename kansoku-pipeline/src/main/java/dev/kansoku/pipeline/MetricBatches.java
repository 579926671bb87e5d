package dev.kansoku.pipeline;

import dev.kansoku.model.OtlpRules;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Counting, merging and splitting of metric batches; see {@link Signal}. The unit is the data
 * point, as in the collector's batch processor (and as OTLP counts them, {@link OtlpRules#dataPoints}),
 * so one metric may be cut across two batches.
 */
public final class MetricBatches {
  private MetricBatches() {}

  static int count(ExportMetricsServiceRequest req) {
    int n = 0;
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          n += OtlpRules.dataPoints(m);
        }
      }
    }
    return n;
  }

  /** The metric with only data points [from, to). */
  static Metric slice(Metric m, int from, int to) {
    Metric.Builder b = m.toBuilder();
    switch (m.getDataCase()) {
      case GAUGE:
        b.getGaugeBuilder().clearDataPoints().addAllDataPoints(m.getGauge().getDataPointsList().subList(from, to));
        break;
      case SUM:
        b.getSumBuilder().clearDataPoints().addAllDataPoints(m.getSum().getDataPointsList().subList(from, to));
        break;
      case HISTOGRAM:
        b.getHistogramBuilder().clearDataPoints()
            .addAllDataPoints(m.getHistogram().getDataPointsList().subList(from, to));
        break;
      case EXPONENTIAL_HISTOGRAM:
        b.getExponentialHistogramBuilder().clearDataPoints()
            .addAllDataPoints(m.getExponentialHistogram().getDataPointsList().subList(from, to));
        break;
      case SUMMARY:
        b.getSummaryBuilder().clearDataPoints().addAllDataPoints(m.getSummary().getDataPointsList().subList(from, to));
        break;
      default:
        break;
    }
    return b.build();
  }

  static ExportMetricsServiceRequest merge(List<ExportMetricsServiceRequest> batches) {
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    for (ExportMetricsServiceRequest part : batches) {
      b.addAllResourceMetrics(part.getResourceMetricsList());
    }
    return b.build();
  }

  static List<ExportMetricsServiceRequest> split(ExportMetricsServiceRequest req, int max) {
    if (count(req) <= max) {
      return List.of(req);
    }
    Cutter cutter = new Cutter(max);
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          int total = OtlpRules.dataPoints(m);
          if (total == 0) {
            cutter.add(rm, sm, m, 0);
            continue;
          }
          int from = 0;
          while (from < total) {
            int take = Math.min(total - from, cutter.room());
            Metric part = from == 0 && take == total ? m : slice(m, from, from + take);
            cutter.add(rm, sm, part, take);
            from += take;
          }
        }
      }
    }
    return cutter.finish();
  }

  /** Fills batches up to {@code max} data points, regrouping metrics under their resource and scope. */
  private static final class Cutter {
    private final int max;
    private final List<ExportMetricsServiceRequest> out = new ArrayList<>();
    private ExportMetricsServiceRequest.Builder batch = ExportMetricsServiceRequest.newBuilder();
    private int inBatch;
    private ResourceMetrics rm;
    private ResourceMetrics.Builder rmPart;
    private ScopeMetrics sm;
    private ScopeMetrics.Builder smPart;

    Cutter(int max) {
      this.max = max;
    }

    int room() {
      if (inBatch == max) {
        flush();
      }
      return max - inBatch;
    }

    void add(ResourceMetrics r, ScopeMetrics s, Metric m, int points) {
      if (r != rm) {
        closeResource();
        rm = r;
      }
      if (s != sm) {
        closeScope();
        sm = s;
      }
      if (rmPart == null) {
        rmPart = r.toBuilder().clearScopeMetrics();
      }
      if (smPart == null) {
        smPart = s.toBuilder().clearMetrics();
      }
      smPart.addMetrics(m);
      inBatch += points;
    }

    private void closeScope() {
      if (smPart != null) {
        rmPart.addScopeMetrics(smPart);
        smPart = null;
      }
    }

    private void closeResource() {
      closeScope();
      if (rmPart != null) {
        batch.addResourceMetrics(rmPart);
        rmPart = null;
      }
    }

    private void flush() {
      closeResource();
      out.add(batch.build());
      batch = ExportMetricsServiceRequest.newBuilder();
      inBatch = 0;
    }

    List<ExportMetricsServiceRequest> finish() {
      closeResource();
      if (batch.getResourceMetricsCount() > 0) {
        out.add(batch.build());
      }
      return out;
    }
  }
}
