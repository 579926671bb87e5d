package dev.kansoku.contrib.metricstransformprocessor;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * One compiled transform: which metrics ({@link MetricFilter}), what to do with them (update,
 * insert, combine), the new name and the operations, applied in order as upstream's transformMetric
 * does. Immutable and thread-safe.
 */
record Transform(MetricFilter filter, Action action, String newName, @Nullable Aggregation aggregation,
    @Nullable String submatchCase, List<Operation> operations) {

  enum Action { UPDATE, INSERT, COMBINE }

  enum Op { ADD_LABEL, UPDATE_LABEL, DELETE_LABEL_VALUE, TOGGLE_SCALAR_DATA_TYPE, SCALE_VALUE, AGGREGATE_LABELS,
    AGGREGATE_LABEL_VALUES }

  /**
   * @param labelSet aggregate_labels: the labels kept; null keeps all
   * @param valueActions update_label: old value → new value
   */
  record Operation(Op op, String label, String newLabel, String newValue, String labelValue, double scale,
      @Nullable Aggregation aggregation, @Nullable Set<String> labelSet, Set<String> aggregatedValues,
      Map<String, String> valueActions) {}

  /**
   * The metric with the new name and the operations applied, or null when the operations removed
   * every data point of a metric that had some (upstream drops it).
   */
  @Nullable
  Metric apply(Metric metric) {
    boolean hadNoPoints = Points.count(metric) == 0;
    boolean mayChangeWhole = action != Action.UPDATE || filter.matchesAllPoints(metric);
    Metric m = metric;
    if (!newName.isEmpty() && mayChangeWhole) {
      String expanded = filter.expand(newName, m.getName());
      m = m.toBuilder().setName(expanded.isEmpty() ? newName : expanded).build();
    }
    for (Operation op : operations) {
      m = switch (op.op()) {
        case UPDATE_LABEL -> updateLabel(m, op);
        case AGGREGATE_LABELS -> mayChangeWhole ? aggregateLabels(m, op) : m;
        case AGGREGATE_LABEL_VALUES -> mayChangeWhole ? aggregateLabelValues(m, op) : m;
        case TOGGLE_SCALAR_DATA_TYPE -> numbers(m, true, 0);
        case SCALE_VALUE -> numbers(m, false, op.scale());
        case ADD_LABEL -> mayChangeWhole ? addLabel(m, op) : m;
        case DELETE_LABEL_VALUE -> mayChangeWhole ? Points.retain(m, a -> !has(a, op.label(), op.labelValue())) : m;
      };
    }
    return hadNoPoints || Points.count(m) > 0 ? m : null;
  }

  /** Renames the label and/or maps its value, on the points the filter's labels match. */
  private Metric updateLabel(Metric m, Operation op) {
    return Points.withAttributes(m, (i, attrs) -> {
      int at = index(attrs, op.label());
      if (at < 0 || !filter.matchesAttributes(attrs)) {
        return attrs;
      }
      List<KeyValue> out = new ArrayList<>(attrs);
      KeyValue kv = attrs.get(at);
      String key = op.label();
      if (!op.newLabel().isEmpty()) {
        // pdata: put the new key (in place if present, else appended), then remove the old one,
        // whose slot the last attribute takes.
        key = op.newLabel();
        put(out, key, kv.getValue());
        int old = index(out, op.label());
        out.set(old, out.get(out.size() - 1));
        out.remove(out.size() - 1);
      }
      String mapped = op.valueActions().get(Points.str(kv));
      if (mapped != null) {
        put(out, key, AnyValue.newBuilder().setStringValue(mapped).build());
      }
      return out;
    });
  }

  private static Metric addLabel(Metric m, Operation op) {
    return Points.withAttributes(m, (i, attrs) -> {
      if (index(attrs, op.newLabel()) >= 0) {
        return attrs;
      }
      List<KeyValue> out = new ArrayList<>(attrs);
      out.add(KeyValue.newBuilder().setKey(op.newLabel())
          .setValue(AnyValue.newBuilder().setStringValue(op.newValue())).build());
      return out;
    });
  }

  private static Metric aggregateLabels(Metric m, Operation op) {
    Metric filtered = op.labelSet() == null ? m : Points.withAttributes(m, (i, attrs) -> {
      List<KeyValue> kept = attrs.stream().filter(kv -> op.labelSet().contains(kv.getKey())).toList();
      return kept.size() == attrs.size() ? attrs : kept;
    });
    return op.aggregation().merge(filtered, List.of(filtered));
  }

  private static Metric aggregateLabelValues(Metric m, Operation op) {
    Metric renamed = Points.withAttributes(m, (i, attrs) -> {
      int at = index(attrs, op.label());
      if (at < 0 || !op.aggregatedValues().contains(Points.str(attrs.get(at)))) {
        return attrs;
      }
      List<KeyValue> out = new ArrayList<>(attrs);
      out.set(at, KeyValue.newBuilder().setKey(op.label())
          .setValue(AnyValue.newBuilder().setStringValue(op.newValue())).build());
      return out;
    });
    return op.aggregation().merge(renamed, List.of(renamed));
  }

  /** toggle_scalar_data_type (int ⇄ double) or experimental_scale_value, on gauge and sum points the filter's labels match. */
  private Metric numbers(Metric m, boolean toggle, double scale) {
    if (!m.hasGauge() && !m.hasSum()) {
      return m;
    }
    Metric.Builder b = m.toBuilder();
    List<NumberDataPoint.Builder> points = m.hasGauge() ? b.getGaugeBuilder().getDataPointsBuilderList()
        : b.getSumBuilder().getDataPointsBuilderList();
    for (NumberDataPoint.Builder p : points) {
      if (!filter.matchesAttributes(p.getAttributesList())) {
        continue;
      }
      if (p.hasAsInt()) {
        if (toggle) {
          p.setAsDouble(p.getAsInt());
        } else {
          p.setAsInt((long) (p.getAsInt() * scale));
        }
      } else if (p.hasAsDouble()) {
        if (toggle) {
          p.setAsInt((long) p.getAsDouble());
        } else {
          p.setAsDouble(p.getAsDouble() * scale);
        }
      }
    }
    return b.build();
  }

  private static int index(List<KeyValue> attrs, String key) {
    for (int i = 0; i < attrs.size(); i++) {
      if (attrs.get(i).getKey().equals(key)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean has(List<KeyValue> attrs, String key, String value) {
    int i = index(attrs, key);
    return i >= 0 && Points.str(attrs.get(i)).equals(value);
  }

  private static void put(List<KeyValue> attrs, String key, AnyValue value) {
    KeyValue kv = KeyValue.newBuilder().setKey(key).setValue(value).build();
    int i = index(attrs, key);
    if (i >= 0) {
      attrs.set(i, kv);
    } else {
      attrs.add(kv);
    }
  }
}
