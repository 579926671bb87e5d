package dev.kansoku.contrib.metricstransformprocessor;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.RateLimitedLog;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the transforms, in order, to the metrics of each scope, as upstream's processMetrics: an
 * update changes matching metrics in place (dropping one whose points all went), an insert appends
 * a changed copy, a combine replaces the matching metrics by one. Scopes and resources left empty
 * are dropped; a batch left empty is not passed on. A batch no transform touched goes on as the same
 * object. Thread-safe (the transforms are immutable).
 */
final class MetricsTransformProcessor implements Processor<ExportMetricsServiceRequest> {
  private static final Logger log = LoggerFactory.getLogger(MetricsTransformProcessor.class);

  private final String id;
  private final List<Transform> transforms;
  private final DataConsumer<ExportMetricsServiceRequest> next;
  private final RateLimitedLog combineLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  MetricsTransformProcessor(String id, List<Transform> transforms, DataConsumer<ExportMetricsServiceRequest> next) {
    this.id = id;
    this.transforms = List.copyOf(transforms);
    this.next = next;
  }

  @Override
  public void consume(ExportMetricsServiceRequest req) throws ConsumeException {
    List<ResourceMetrics> resources = new ArrayList<>();
    boolean changed = false;
    for (ResourceMetrics rm : req.getResourceMetricsList()) {
      List<ScopeMetrics> scopes = new ArrayList<>();
      boolean scopesChanged = false;
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        List<Metric> metrics = transform(sm.getMetricsList());
        if (metrics.isEmpty()) {
          scopesChanged = true;
        } else if (metrics == sm.getMetricsList()) {
          scopes.add(sm);
        } else {
          scopesChanged = true;
          scopes.add(sm.toBuilder().clearMetrics().addAllMetrics(metrics).build());
        }
      }
      changed |= scopesChanged;
      if (!scopes.isEmpty()) {
        resources.add(scopesChanged ? rm.toBuilder().clearScopeMetrics().addAllScopeMetrics(scopes).build() : rm);
      }
    }
    if (resources.isEmpty()) {
      return;
    }
    next.consume(changed ? req.toBuilder().clearResourceMetrics().addAllResourceMetrics(resources).build() : req);
  }

  /** The scope's metrics after every transform; {@code in} itself when none applied. */
  private List<Metric> transform(List<Metric> in) {
    List<Metric> metrics = in;
    for (Transform t : transforms) {
      metrics = switch (t.action()) {
        case UPDATE -> update(metrics, t);
        case INSERT -> insert(metrics, t);
        case COMBINE -> combine(metrics, t);
      };
    }
    return metrics;
  }

  private static List<Metric> update(List<Metric> metrics, Transform t) {
    List<Metric> out = null;
    for (int i = 0; i < metrics.size(); i++) {
      Metric m = metrics.get(i);
      Metric changed = t.filter().matchesMetric(m) ? t.apply(m) : m;
      if (changed != m && out == null) {
        out = new ArrayList<>(metrics.subList(0, i));
      }
      if (out != null && changed != null) {
        out.add(changed);
      }
    }
    return out == null ? metrics : out;
  }

  private static List<Metric> insert(List<Metric> metrics, Transform t) {
    List<Metric> out = null;
    for (Metric m : metrics) {
      Metric extracted = t.filter().extract(m);
      Metric inserted = extracted == null ? null : t.apply(extracted);
      if (inserted != null) {
        out = out == null ? new ArrayList<>(metrics) : out;
        out.add(inserted);
      }
    }
    return out == null ? metrics : out;
  }

  private List<Metric> combine(List<Metric> metrics, Transform t) {
    List<Metric> matched = metrics.stream().filter(t.filter()::matchesMetric).toList();
    if (matched.isEmpty()) {
      return metrics;
    }
    String problem = Combination.problem(matched);
    if (problem != null) {
      combineLog.warn("metricstransform {}: {}", id, problem);
      return metrics;
    }
    List<Metric> out = new ArrayList<>();
    List<Metric> extracted = new ArrayList<>();
    for (Metric m : metrics) {
      Metric e = t.filter().extract(m);
      if (e == null) {
        out.add(m);
      } else {
        extracted.add(e); // the whole metric leaves the scope, even points that did not match, as upstream
      }
    }
    Metric combined = t.apply(t.aggregation().merge(Aggregation.details(extracted.get(0)).setName(t.newName()).build(),
        withSubmatchLabels(extracted, t)));
    if (combined != null) {
      out.add(combined);
    }
    return out;
  }

  /** Each metric's points labelled with the include regexp's groups ({@code $1} when unnamed) of its name. */
  private static List<Metric> withSubmatchLabels(List<Metric> metrics, Transform t) {
    List<String> names = t.filter().groupNames();
    if (names.isEmpty()) {
      return metrics;
    }
    List<Metric> out = new ArrayList<>();
    for (Metric m : metrics) {
      String[] groups = t.filter().submatches(m.getName());
      out.add(Points.withAttributes(m, (i, attrs) -> {
        List<KeyValue> labelled = new ArrayList<>(attrs);
        for (int g = 0; g < groups.length; g++) {
          String value = groups[g] == null ? "" : submatchCase(groups[g], t.submatchCase());
          if (value.isEmpty()) {
            continue;
          }
          String key = names.get(g).isEmpty() ? "$" + (g + 1) : names.get(g);
          KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
          int at = labelled.stream().map(KeyValue::getKey).toList().indexOf(key);
          if (at >= 0) {
            labelled.set(at, kv);
          } else {
            labelled.add(kv);
          }
        }
        return labelled;
      }));
    }
    return out;
  }

  private static String submatchCase(String s, String submatchCase) {
    if (submatchCase == null) {
      return s;
    }
    return submatchCase.equals("lower") ? s.toLowerCase(Locale.ROOT) : s.toUpperCase(Locale.ROOT);
  }
}
