package dev.kansoku.contrib.filterprocessor;

import static dev.kansoku.contrib.filterprocessor.Pruning.prune;

import dev.kansoku.contrib.ottl.OttlConditions;
import dev.kansoku.contrib.ottl.OttlItem;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import javax.annotation.Nullable;

/**
 * The metrics half of {@link FilterProcessor}: resources, then metrics (by name or condition), then
 * data points of every type; a metric left without data points is dropped, as upstream's. Thread-safe.
 */
final class MetricsFilter {
  private final FilterRules rules;

  MetricsFilter(FilterRules rules) {
    this.rules = rules;
  }

  /** The request without what the rules drop, or null when nothing is left. */
  @Nullable
  ExportMetricsServiceRequest apply(ExportMetricsServiceRequest req) {
    List<ResourceMetrics> kept = prune(req.getResourceMetricsList(), rm -> {
      Resource resource = rm.getResource();
      if (rules.skipResource(resource)) {
        return null;
      }
      if (!rules.itemLevel()) {
        return rm.getScopeMetricsCount() == 0 ? null : rm;
      }
      List<ScopeMetrics> scopes = prune(rm.getScopeMetricsList(), sm -> {
        List<Metric> metrics = prune(sm.getMetricsList(), m -> metric(resource, sm.getScope(), m));
        return metrics.isEmpty() ? null : metrics == sm.getMetricsList() ? sm
            : sm.toBuilder().clearMetrics().addAllMetrics(metrics).build();
      });
      return scopes.isEmpty() ? null : scopes == rm.getScopeMetricsList() ? rm
          : rm.toBuilder().clearScopeMetrics().addAllScopeMetrics(scopes).build();
    });
    return kept.isEmpty() ? null : kept == req.getResourceMetricsList() ? req
        : req.toBuilder().clearResourceMetrics().addAllResourceMetrics(kept).build();
  }

  @Nullable
  private Metric metric(Resource resource, InstrumentationScope scope, Metric m) {
    if ((rules.item() != null && rules.item().anyMatch(OttlItem.metric(resource, scope, m)))
        || (rules.include() != null && !rules.include().matchesMetric(resource, m))
        || (rules.exclude() != null && rules.exclude().matchesMetric(resource, m))) {
      return null;
    }
    OttlConditions points = rules.subItem();
    if (points == null) {
      return m;
    }
    switch (m.getDataCase()) {
      case GAUGE -> {
        var p = prune(m.getGauge().getDataPointsList(), dp -> points.anyMatch(OttlItem.dataPoint(resource, scope, m, dp))
            ? null : dp);
        return p.isEmpty() ? null : p == m.getGauge().getDataPointsList() ? m
            : m.toBuilder().setGauge(m.getGauge().toBuilder().clearDataPoints().addAllDataPoints(p)).build();
      }
      case SUM -> {
        var p = prune(m.getSum().getDataPointsList(), dp -> points.anyMatch(OttlItem.dataPoint(resource, scope, m, dp))
            ? null : dp);
        return p.isEmpty() ? null : p == m.getSum().getDataPointsList() ? m
            : m.toBuilder().setSum(m.getSum().toBuilder().clearDataPoints().addAllDataPoints(p)).build();
      }
      case HISTOGRAM -> {
        var p = prune(m.getHistogram().getDataPointsList(),
            dp -> points.anyMatch(OttlItem.dataPoint(resource, scope, m, dp)) ? null : dp);
        return p.isEmpty() ? null : p == m.getHistogram().getDataPointsList() ? m
            : m.toBuilder().setHistogram(m.getHistogram().toBuilder().clearDataPoints().addAllDataPoints(p)).build();
      }
      case EXPONENTIAL_HISTOGRAM -> {
        var p = prune(m.getExponentialHistogram().getDataPointsList(),
            dp -> points.anyMatch(OttlItem.dataPoint(resource, scope, m, dp)) ? null : dp);
        return p.isEmpty() ? null : p == m.getExponentialHistogram().getDataPointsList() ? m
            : m.toBuilder().setExponentialHistogram(m.getExponentialHistogram().toBuilder().clearDataPoints()
                .addAllDataPoints(p)).build();
      }
      case SUMMARY -> {
        var p = prune(m.getSummary().getDataPointsList(),
            dp -> points.anyMatch(OttlItem.dataPoint(resource, scope, m, dp)) ? null : dp);
        return p.isEmpty() ? null : p == m.getSummary().getDataPointsList() ? m
            : m.toBuilder().setSummary(m.getSummary().toBuilder().clearDataPoints().addAllDataPoints(p)).build();
      }
      default -> {
        return m;
      }
    }
  }
}
