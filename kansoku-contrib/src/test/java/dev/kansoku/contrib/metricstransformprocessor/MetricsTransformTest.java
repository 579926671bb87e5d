package dev.kansoku.contrib.metricstransformprocessor;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Upstream's transform cases (metrics_transform_processor_testcases_test.go), each through a running service. */
class MetricsTransformTest {
  /** upstream's metricBuilder: a metric of a type, with label keys that each point gives values for, in order. */
  private static final class MB {
    private final Metric.Builder m = Metric.newBuilder();
    private final String[] labels;

    MB(String type, String name, String... labels) {
      this.labels = labels;
      m.setName(name);
      switch (type) {
        case "gauge" -> m.setGauge(Gauge.getDefaultInstance());
        case "sum" -> m.setSum(Sum.getDefaultInstance());
        default -> m.setHistogram(Histogram.getDefaultInstance());
      }
    }

    private NumberDataPoint.Builder point(long start, long time, String... values) {
      NumberDataPoint.Builder p = NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time);
      for (int i = 0; i < values.length; i++) {
        p.addAllAttributes(attrs(labels[i], values[i]));
      }
      return p;
    }

    private void add(NumberDataPoint.Builder p) {
      if (m.hasGauge()) {
        m.getGaugeBuilder().addDataPoints(p);
      } else {
        m.getSumBuilder().addDataPoints(p);
      }
    }

    MB ints(long start, long time, long value, String... values) {
      add(point(start, time, values).setAsInt(value));
      return this;
    }

    MB doubles(long start, long time, double value, String... values) {
      add(point(start, time, values).setAsDouble(value));
      return this;
    }

    MB histogram(long start, long time, long count, double sum, List<Double> bounds, List<Long> buckets,
        String... values) {
      HistogramDataPoint.Builder p = HistogramDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time)
          .setCount(count).setSum(sum).addAllExplicitBounds(bounds).addAllBucketCounts(buckets);
      for (int i = 0; i < values.length; i++) {
        p.addAllAttributes(attrs(labels[i], values[i]));
      }
      m.getHistogramBuilder().addDataPoints(p);
      return this;
    }

    MB unit(String unit) {
      m.setUnit(unit);
      return this;
    }

    Metric build() {
      return m.build();
    }
  }

  private static MB gauge(String name, String... labels) {
    return new MB("gauge", name, labels);
  }

  private static MB sum(String name, String... labels) {
    return new MB("sum", name, labels);
  }

  private static MB histogram(String name, String... labels) {
    return new MB("histogram", name, labels);
  }

  private static ExportMetricsServiceRequest request(List<Metric> metrics) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addAllMetrics(metrics))).build();
  }

  private static String yaml(String transforms) {
    return """
        receivers:
          push:
        processors:
          metricstransform:
            transforms:
        %s
        exporters:
          capture:
        service:
          pipelines:
            metrics:
              receivers: [push]
              processors: [metricstransform]
              exporters: [capture]
        """.formatted(transforms.stripIndent().indent(6).stripTrailing());
  }

  private static void check(String transforms, List<Metric> in, List<Metric> expected) throws Exception {
    try (TestService s = TestService.start(yaml(transforms))) {
      List<ExportMetricsServiceRequest> out = s.send(Signal.METRICS, request(in));
      List<Metric> metrics = new ArrayList<>();
      out.forEach(r -> r.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList()
          .forEach(sm -> metrics.addAll(sm.getMetricsList()))));
      assertThat(metrics).as(transforms).isEqualTo(expected);
    }
  }

  @Test
  void update_names() throws Exception {
    check("- {include: metric1, action: update, new_name: new/metric1}", List.of(gauge("metric1").build()),
        List.of(gauge("new/metric1").build()));
    check("""
        - {include: metric1, action: update, new_name: new/metric1}
        - {include: metric2, action: update, new_name: new/metric2}
        """, List.of(gauge("metric1").build(), gauge("metric2").build()),
        List.of(gauge("new/metric1").build(), gauge("new/metric2").build()));
    check("""
        - {include: "^(metric)(?P<namedsubmatch>[12])$", match_type: regexp, action: update,
           new_name: "new/$1/$namedsubmatch"}
        - {include: new/metric/1, action: update, new_name: new/new/metric1}
        """, List.of(gauge("metric1").build(), gauge("metric2").build(), gauge("metric3").build()),
        List.of(gauge("new/new/metric1").build(), gauge("new/metric/2").build(), gauge("metric3").build()));
    check("- {include: nonexist, action: update, new_name: new/metric1}", List.of(gauge("metric1").build()),
        List.of(gauge("metric1").build()));
  }

  @Test
  void update_labels() throws Exception {
    check("- {include: metric1, action: update, operations: [{action: update_label, label: label1,"
        + " new_label: new/label1}]}", List.of(gauge("metric1", "label1").ints(1, 2, 3, "value1").build()),
        List.of(gauge("metric1", "new/label1").ints(1, 2, 3, "value1").build()));
    check("- {include: metric1, action: update, operations: [{action: update_label, label: label1,"
        + " value_actions: [{value: label1-value1, new_value: new/label1-value1}]}]}",
        List.of(gauge("metric1", "label1").ints(1, 2, 3, "label1-value1").ints(1, 2, 3, "label1-value2").build()),
        List.of(gauge("metric1", "label1").ints(1, 2, 3, "new/label1-value1").ints(1, 2, 3, "label1-value2").build()));
    check("- {include: metric1, action: update, operations: [{action: update_label, label: label1,"
        + " new_label: new/label1, value_actions: [{value: label1-value1, new_value: new/label1-value1}]}]}",
        List.of(gauge("metric1", "label1").ints(1, 2, 3, "label1-value1").build()),
        List.of(gauge("metric1", "new/label1").ints(1, 2, 3, "new/label1-value1").build()));
    check("- {include: ^matched.*$, match_type: regexp, action: update, operations: [{action: update_label,"
        + " label: label1, value_actions: [{value: label1-value1, new_value: new/label1-value1}]}]}",
        List.of(gauge("matched-metric1", "label1", "label2").ints(1, 2, 3, "label1-value1", "label2-value1").build(),
            gauge("unmatched-metric2", "label1", "label2").ints(1, 2, 3, "label1-value1", "label2-value1").build()),
        List.of(gauge("matched-metric1", "label1", "label2").ints(1, 2, 3, "new/label1-value1", "label2-value1")
            .build(), gauge("unmatched-metric2", "label1", "label2").ints(1, 2, 3, "label1-value1", "label2-value1")
            .build()));
  }

  private static String aggregateLabels(String type) {
    return "- {include: metric1, action: update, operations: [{action: aggregate_labels, aggregation_type: " + type
        + ", label_set: [label1]}]}";
  }

  @Test
  void update_aggregateLabels() throws Exception {
    List<Metric> ints = List.of(gauge("metric1", "label1", "label2").ints(1, 2, 3, "label1-value1", "label2-value1")
        .ints(1, 2, 1, "label1-value1", "label2-value2").build());
    check(aggregateLabels("sum"), ints, List.of(gauge("metric1", "label1").ints(1, 2, 4, "label1-value1").build()));
    check(aggregateLabels("mean"), ints, List.of(gauge("metric1", "label1").ints(1, 2, 2, "label1-value1").build()));
    List<Metric> three = List.of(gauge("metric1", "label1", "label2").ints(1, 2, 1, "label1-value1", "label2-value1")
        .ints(1, 2, 3, "label1-value1", "label2-value2").ints(1, 2, 2, "label1-value1", "label2-value2").build());
    check(aggregateLabels("max"), three, List.of(gauge("metric1", "label1").ints(1, 2, 3, "label1-value1").build()));
    check(aggregateLabels("min"), three, List.of(gauge("metric1", "label1").ints(1, 2, 1, "label1-value1").build()));
    check(aggregateLabels("median"), three, List.of(gauge("metric1", "label1").ints(1, 2, 2, "label1-value1").build()));
    check(aggregateLabels("count"), three, List.of(gauge("metric1", "label1").ints(1, 2, 3, "label1-value1").build()));
    check(aggregateLabels("sum"), ints, List.of(gauge("metric1", "label1").ints(1, 2, 4, "label1-value1").build()));
    List<Metric> doubles = List.of(gauge("metric1", "label1", "label2").doubles(1, 2, 3, "label1-value1",
        "label2-value1").doubles(1, 2, 1, "label1-value1", "label2-value2").build());
    check(aggregateLabels("mean"), doubles, List.of(gauge("metric1", "label1").doubles(1, 2, 2, "label1-value1")
        .build()));
    check(aggregateLabels("max"), doubles, List.of(gauge("metric1", "label1").doubles(1, 2, 3, "label1-value1")
        .build()));
    check(aggregateLabels("min"), List.of(gauge("metric1", "label1", "label2")
            .doubles(2, 2, 3, "label1-value2", "label2-value2").doubles(0, 2, 4, "label1-value0", "label2-value0")
            .doubles(1, 2, 1, "label1-value1", "label2-value1").doubles(1, 2, 3, "label1-value1", "label2-value2")
            .build()),
        List.of(gauge("metric1", "label1").doubles(2, 2, 3, "label1-value2").doubles(0, 2, 4, "label1-value0")
            .doubles(1, 2, 1, "label1-value1").build()));
  }

  @Test
  void update_aggregateLabelValuesAndHistograms() throws Exception {
    check("- {include: metric1, action: update, operations: [{action: aggregate_label_values, new_value:"
        + " new/label2-value, aggregation_type: sum, label: label2, aggregated_values: [label2-value1, label2-value2]}]}",
        List.of(gauge("metric1", "label1", "label2").ints(0, 2, 3, "label1-value1", "label2-value1")
            .ints(0, 2, 1, "label1-value1", "label2-value2").ints(1, 2, 1, "label1-value1", "label2-value3")
            .ints(2, 2, 4, "label1-value1", "label2-value4").build()),
        List.of(gauge("metric1", "label1", "label2").ints(0, 2, 4, "label1-value1", "new/label2-value")
            .ints(1, 2, 1, "label1-value1", "label2-value3").ints(2, 2, 4, "label1-value1", "label2-value4").build()));
    List<Double> bounds = List.of(1.0, 2.0, 3.0);
    check(aggregateLabels("sum"), List.of(histogram("metric1", "label1", "label2")
            .histogram(0, 1, 3, 6, bounds, List.of(0L, 1L, 1L, 1L), "label1-value1", "label2-value1")
            .histogram(0, 1, 5, 10, bounds, List.of(0L, 2L, 1L, 2L), "label1-value1", "label2-value2")
            .histogram(1, 1, 7, 14, bounds, List.of(0L, 3L, 1L, 3L), "label1-value1", "label2-value3").build()),
        List.of(histogram("metric1", "label1").histogram(0, 1, 15, 30, bounds, List.of(0L, 6L, 3L, 6L),
            "label1-value1").build()));
    check(aggregateLabels("mean"), List.of(histogram("metric1", "label1", "label2")
            .histogram(1, 2, 3, 6, bounds, List.of(0L, 1L, 1L, 1L), "label1-value1", "label2-value1").build()),
        List.of(histogram("metric1", "label1").histogram(1, 2, 3, 6, bounds, List.of(0L, 1L, 1L, 1L), "label1-value1")
            .build()));
    List<Metric> partial = List.of(gauge("metric1", "label1", "label2").ints(1, 2, 3, "label1-value1", "label2-value1")
        .ints(0, 2, 1, "label1-value2", "label2-value2").build());
    check("- {include: metric1, action: update, experimental_match_labels: {label1: label1-value1}, operations:"
        + " [{action: aggregate_labels, aggregation_type: sum, label_set: [label1]}]}", partial, partial);
  }

  @Test
  void insert() throws Exception {
    check("- {include: metric1, action: insert, new_name: new/metric1}", List.of(gauge("metric1").build()),
        List.of(gauge("metric1").build(), gauge("new/metric1").build()));
    check("""
        - {include: metric1, action: insert, new_name: new/metric1}
        - {include: metric2, action: insert, new_name: new/metric2}
        """, List.of(gauge("metric1").build(), gauge("metric2").build()), List.of(gauge("metric1").build(),
        gauge("metric2").build(), gauge("new/metric1").build(), gauge("new/metric2").build()));
    Metric one = gauge("metric1", "label1", "label2").ints(1, 2, 3, "value1", "value2").build();
    Metric copy = gauge("new/metric1", "label1", "label2").ints(1, 2, 3, "value1", "value2").build();
    check("- {include: metric1, action: insert, new_name: new/metric1, experimental_match_labels: {label1: value1}}",
        List.of(one), List.of(one, copy));
    check("- {include: metric1, match_type: regexp, action: insert, new_name: new/metric1, experimental_match_labels:"
        + " {label1: '(.|\\s)*\\S(.|\\s)*'}}", List.of(one), List.of(one, copy));
    check("- {include: metric1, match_type: regexp, action: insert, new_name: new/metric1, experimental_match_labels:"
        + " {label1: value1}}", List.of(one), List.of(one, copy));
    for (String labels : List.of("{label1: wrong_value}", "{missing_key: value1}")) {
      check("- {include: metric1, action: insert, new_name: new/metric1, experimental_match_labels: " + labels + "}",
          List.of(one), List.of(one));
    }
    for (String labels : List.of("{label1: .*wrong_ending}", "{missing_key: value1}",
        "{label1: value1, missing_key: value2}")) {
      check("- {include: metric1, match_type: regexp, action: insert, new_name: new/metric1, experimental_match_labels: "
          + labels + "}", List.of(one), List.of(one));
    }
    check("- {include: metric1, match_type: regexp, action: insert, new_name: new/metric1, experimental_match_labels:"
        + " {label1: value1, missing_key: ^$}}", List.of(one), List.of(one, copy));
    Metric two = gauge("metric1", "label1", "label2").ints(1, 2, 3, "value1", "value2").ints(2, 2, 3, "value3", "value4")
        .build();
    check("- {include: metric1, match_type: regexp, action: insert, new_name: new/metric1, experimental_match_labels:"
        + " {label1: value3}}", List.of(two), List.of(two, gauge("new/metric1", "label1", "label2")
            .ints(2, 2, 3, "value3", "value4").build()));
    Metric twoNegative = gauge("metric1", "label1", "label2").ints(1, 2, 3, "value1", "value2")
        .ints(2, 2, 3, "value11", "value22").build();
    check("- {include: metric1, match_type: regexp, action: insert, new_name: new/metric1, experimental_match_labels:"
        + " {label1: value3}}", List.of(twoNegative), List.of(twoNegative));
  }

  @Test
  void insert_withOperations() throws Exception {
    Metric one = gauge("metric1", "label1", "label2").ints(1, 2, 3, "value1", "value2").build();
    check("- {include: metric1, action: insert, new_name: new/metric1, operations: [{action: update_label, label: label1,"
        + " new_label: new/label1}]}", List.of(one),
        List.of(one, gauge("new/metric1", "new/label1", "label2").ints(1, 2, 3, "value1", "value2").build()));
    Metric values = gauge("metric1", "label1").ints(1, 2, 3, "label1-value1").ints(1, 2, 4, "label1-value2").build();
    check("- {include: metric1, action: insert, new_name: new/metric1, operations: [{action: update_label, label: label1,"
        + " value_actions: [{value: label1-value1, new_value: new/label1-value1}]}]}", List.of(values),
        List.of(values, gauge("new/metric1", "label1").ints(1, 2, 3, "new/label1-value1").ints(1, 2, 4, "label1-value2")
            .build()));
    Metric ints = gauge("metric1", "label1", "label2").ints(1, 2, 3, "label1-value1", "label2-value1")
        .ints(1, 2, 1, "label1-value1", "label2-value2").build();
    check("- {include: metric1, action: insert, new_name: metric1, operations: [{action: aggregate_labels,"
        + " aggregation_type: sum, label_set: [label1]}]}", List.of(ints),
        List.of(ints, gauge("metric1", "label1").ints(1, 2, 4, "label1-value1").build()));
    check("- {include: metric1, action: insert, new_name: metric1, operations: [{action: aggregate_label_values,"
        + " new_value: new/label2-value, aggregation_type: sum, label: label2, aggregated_values: [label2-value1,"
        + " label2-value2]}]}", List.of(ints),
        List.of(ints, gauge("metric1", "label1", "label2").ints(1, 2, 4, "label1-value1", "new/label2-value").build()));
    List<Double> bounds = List.of(1.0, 2.0);
    Metric histograms = histogram("metric1", "label1", "label2")
        .histogram(1, 2, 3, 6, bounds, List.of(0L, 1L, 2L), "label1-value1", "label2-value1")
        .histogram(1, 2, 5, 10, bounds, List.of(1L, 1L, 3L), "label1-value1", "label2-value2").build();
    check("- {include: metric1, action: insert, new_name: metric1, operations: [{action: aggregate_labels,"
        + " aggregation_type: sum, label_set: [label1]}]}", List.of(histograms), List.of(histograms,
            histogram("metric1", "label1").histogram(1, 2, 8, 16, bounds, List.of(1L, 2L, 5L), "label1-value1").build()));
  }

  @Test
  void combine() throws Exception {
    List<Metric> in = List.of(gauge("Metric1").ints(1, 1, 1).build(), gauge("metric2").ints(1, 1, 2).build(),
        gauge("metric3").ints(1, 1, 3).build());
    check("- {include: \"^([mM]etric)(?P<namedsubmatch>[12])$\", match_type: regexp, action: combine, new_name: new,"
        + " submatch_case: lower, aggregation_type: sum}", in, List.of(gauge("metric3").ints(1, 1, 3).build(),
            gauge("new", "$1", "namedsubmatch").ints(1, 1, 1, "metric", "1").ints(1, 1, 2, "metric", "2").build()));
    check("- {include: \"^X(metric)(?P<namedsubmatch>[12])$\", match_type: regexp, action: combine, new_name: new,"
        + " aggregation_type: sum}", in, in);
    check("- {include: \"^([mM]etric)(?P<namedsubmatch>[1])$\", match_type: regexp, action: combine, new_name: new,"
        + " submatch_case: upper, aggregation_type: sum}", in, List.of(gauge("metric2").ints(1, 1, 2).build(),
            gauge("metric3").ints(1, 1, 3).build(), gauge("new", "$1", "namedsubmatch").ints(1, 1, 1, "METRIC", "1")
            .build()));
    List<Metric> lower = List.of(gauge("metric1").ints(1, 1, 1).build(), gauge("metric2").ints(1, 1, 2).build(),
        gauge("metric3").ints(1, 1, 3).build());
    check("- {include: \"^metric[12]$\", match_type: regexp, action: combine, new_name: new, aggregation_type: sum}",
        lower, List.of(gauge("metric3").ints(1, 1, 3).build(), gauge("new").ints(1, 1, 3).build()));
    check("- {include: \"^(metric)(?P<namedsubmatch>[12])$\", match_type: regexp, action: combine, new_name: new,"
        + " aggregation_type: sum, operations: [{action: add_label, new_label: new_label, new_value: new_label_value},"
        + " {action: aggregate_labels, aggregation_type: sum, label_set: [$1, new_label]}]}", lower,
        List.of(gauge("metric3").ints(1, 1, 3).build(), gauge("new", "$1", "new_label")
            .ints(1, 1, 3, "metric", "new_label_value").build()));
  }

  @Test
  void combine_refusedWhenMetricsDiffer() throws Exception {
    String combine = "- {include: \"^metric[12]$\", match_type: regexp, action: combine, new_name: new,"
        + " aggregation_type: sum}";
    Metric three = gauge("metric3").ints(1, 1, 3).build();
    for (List<Metric> in : List.of(
        List.of(gauge("metric1").ints(1, 1, 1).build(), sum("metric2").ints(1, 1, 2).build(), three),
        List.of(gauge("metric1").unit("s").ints(1, 1, 1).build(), gauge("metric2").unit("ms").ints(1, 1, 2).build(),
            three),
        List.of(gauge("metric1", "a", "b").ints(1, 1, 1, "1", "2").build(),
            gauge("metric2", "a", "b", "c").ints(1, 1, 2, "1", "2", "3").build(), three),
        List.of(gauge("metric1", "a", "b").ints(1, 1, 1, "1", "2").build(),
            gauge("metric2", "a", "c").ints(1, 1, 2, "1", "3").build(), three))) {
      check(combine, in, in);
    }
    assertThat(Combination.problem(List.of(gauge("metric1", "a", "b").ints(1, 1, 1, "1", "2").build(),
        gauge("metric2", "a", "c").ints(1, 1, 2, "1", "3").build()))).isEqualTo("metrics cannot be combined as they"
            + " have different attributes: metric1 (map[a:{} b:{}]) and metric2 (map[a:{} c:{}])");
  }

  @Test
  void toggleScaleAddAndDelete() throws Exception {
    String toggleBoth = """
        - {include: metric1, action: update, operations: [{action: toggle_scalar_data_type}]}
        - {include: metric2, action: update, operations: [{action: toggle_scalar_data_type}]}
        """;
    check(toggleBoth, List.of(sum("metric1").ints(1, 1, 1).build(), gauge("metric2").ints(1, 1, 1).build()),
        List.of(sum("metric1").doubles(1, 1, 1).build(), gauge("metric2").doubles(1, 1, 1).build()));
    check(toggleBoth, List.of(sum("metric1").doubles(1, 1, 1).build(), gauge("metric2").doubles(1, 1, 1).build()),
        List.of(sum("metric1").ints(1, 1, 1).build(), gauge("metric2").ints(1, 1, 1).build()));
    Metric h = histogram("metric1").histogram(0, 2, 3, 6, List.of(1.0, 2.0, 3.0), List.of(0L, 1L, 1L, 1L)).build();
    check("- {include: metric1, action: update, operations: [{action: toggle_scalar_data_type}]}", List.of(h),
        List.of(h));
    String scale = """
        - {include: metric1, action: update, operations: [{action: experimental_scale_value, experimental_scale: 100}]}
        - {include: metric2, action: update, operations: [{action: experimental_scale_value, experimental_scale: %s}]}
        """;
    check(scale.formatted("10"), List.of(sum("metric1").ints(1, 1, 1).build(), gauge("metric2").ints(1, 1, 3).build()),
        List.of(sum("metric1").ints(1, 1, 100).build(), gauge("metric2").ints(1, 1, 30).build()));
    check(scale.formatted(".1"), List.of(sum("metric1").doubles(1, 1, 1).build(),
        gauge("metric2").doubles(1, 1, 300).build()), List.of(sum("metric1").doubles(1, 1, 100).build(),
            gauge("metric2").doubles(1, 1, 30).build()));
    check("- {include: metric1, action: update, experimental_match_labels: {label1: value1}, operations: [{action:"
        + " experimental_scale_value, experimental_scale: 100}]}", List.of(sum("metric1", "label1")
            .ints(1, 1, 1, "value1").ints(1, 1, 3, "value2").build()),
        List.of(sum("metric1", "label1").ints(1, 1, 100, "value1").ints(1, 1, 3, "value2").build()));
    String add = "- {include: %s, action: update, operations: [{action: add_label, new_label: %s, new_value: %s}]}";
    check(add.formatted("metric1", "foo", "bar"), List.of(gauge("metric1").ints(1, 2, 3).build()),
        List.of(gauge("metric1", "foo").ints(1, 2, 3, "bar").build()));
    Metric labelled = gauge("metric1", "label1", "label2").ints(1, 2, 3, "value1", "value2").build();
    check(add.formatted("metric1", "foo", "bar"), List.of(labelled),
        List.of(gauge("metric1", "label1", "label2", "foo").ints(1, 2, 3, "value1", "value2", "bar").build()));
    check(add.formatted("metric1", "label1", "value3"), List.of(labelled), List.of(labelled));
    check(add.formatted("mymetric", "foo", "bar"), List.of(labelled), List.of(labelled));
    String delete = "- {include: metric, action: update, operations: [{action: delete_label_value, label: label1,"
        + " label_value: label1value1}]}";
    check(delete, List.of(gauge("metric", "label1", "label2").ints(1, 2, 3, "label1value1", "label2value")
        .ints(1, 2, 4, "label1value2", "label2value").build()), List.of(gauge("metric", "label1", "label2")
            .ints(1, 2, 4, "label1value2", "label2value").build()));
    check(delete, List.of(gauge("metric", "label1", "label2").ints(1, 2, 3, "label1value1", "label2value").build()),
        List.of());
  }
}
