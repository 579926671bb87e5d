package dev.kansoku.contrib.filterprocessor;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Upstream's metrics cases (metrics_test.go): legacy include/exclude by name and resource, then OTTL. */
class FilterMetricsTest {
  private static final String VALID_FILTERS = "[\"prefix/.*\", \"prefix_.*\", \".*/suffix\", \".*_suffix\","
      + " \".*/contains/.*\", \".*_contains_.*\", \"full/name/match\", \"full_name_match\"]";
  private static final List<String> IN_NAMES = List.of("full_name_match", "not_exact_string_match",
      "prefix/test/match", "prefix_test_match", "prefixprefix/test/match", "test/match/suffix", "test_match_suffix",
      "test/match/suffixsuffix", "test/contains/match", "test_contains_match", "random", "full/name/match",
      "full_name_match", "not_exact_string_match");
  private static final List<String> INCLUDED = List.of("full_name_match", "prefix/test/match", "prefix_test_match",
      "prefixprefix/test/match", "test/match/suffix", "test_match_suffix", "test/match/suffixsuffix",
      "test/contains/match", "test_contains_match", "full/name/match", "full_name_match");

  private record Group(List<String> names, Object... resource) {}

  private static ExportMetricsServiceRequest metrics(Group... groups) {
    ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
    for (Group g : groups) {
      ScopeMetrics.Builder sm = ScopeMetrics.newBuilder();
      for (String name : g.names) {
        sm.addMetrics(Metric.newBuilder().setName(name).setGauge(Gauge.newBuilder()
            .addDataPoints(NumberDataPoint.newBuilder().setTimeUnixNano(10).setAsDouble(123))));
      }
      b.addResourceMetrics(ResourceMetrics.newBuilder().setResource(Resource.newBuilder()
          .addAllAttributes(attrs(g.resource))).addScopeMetrics(sm));
    }
    return b.build();
  }

  /** Metric names per resource that reached the exporter; empty when nothing did. */
  private static List<List<String>> names(String filter, ExportMetricsServiceRequest in) throws Exception {
    try (TestService s = FilterPipelines.start("metrics", filter)) {
      List<ExportMetricsServiceRequest> out = s.send(Signal.METRICS, in);
      List<List<String>> names = new ArrayList<>();
      for (ExportMetricsServiceRequest r : out) {
        for (ResourceMetrics rm : r.getResourceMetricsList()) {
          names.add(rm.getScopeMetrics(0).getMetricsList().stream().map(Metric::getName).toList());
        }
      }
      return names;
    }
  }

  @Test
  void includeFilter() throws Exception {
    assertThat(names("metrics: {include: {match_type: regexp, metric_names: " + VALID_FILTERS + "}}",
        metrics(new Group(IN_NAMES)))).containsExactly(INCLUDED);
  }

  @Test
  void excludeFilter() throws Exception {
    assertThat(names("metrics: {exclude: {match_type: regexp, metric_names: " + VALID_FILTERS + "}}",
        metrics(new Group(IN_NAMES)))).containsExactly(List.of("not_exact_string_match", "random",
            "not_exact_string_match"));
  }

  @Test
  void includeAndExclude_andEmptyResourceMetricsDropped() throws Exception {
    String filter = "metrics: {include: {match_type: regexp, metric_names: " + VALID_FILTERS + "},"
        + " exclude: {match_type: strict, metric_names: [prefix_test_match, test_contains_match]}}";
    List<String> expected = new ArrayList<>(INCLUDED);
    expected.removeAll(List.of("prefix_test_match", "test_contains_match"));
    assertThat(names(filter, metrics(new Group(IN_NAMES)))).containsExactly(expected);
    assertThat(names(filter, metrics(new Group(List.of()), new Group(IN_NAMES)))).containsExactly(expected);
  }

  @Test
  void emptyIncludeOrExclude_passesEverything() throws Exception {
    ExportMetricsServiceRequest in = metrics(new Group(IN_NAMES));
    assertThat(names("metrics: {include: {match_type: strict}}", in)).containsExactly(IN_NAMES);
    assertThat(names("metrics: {exclude: {match_type: strict}}", in)).containsExactly(IN_NAMES);
    assertThat(names("metrics: {exclude: {match_type: strict}}", metrics(new Group(List.of("metric1", "metric2"),
        "attr1", "attr1/val1", "attr2", "attr2/val2")))).containsExactly(List.of("metric1", "metric2"));
  }

  @Test
  void resourceAttributes_includeAndExclude() throws Exception {
    ExportMetricsServiceRequest two = metrics(new Group(List.of("metric1", "metric2"), "attr1", "attr1/val1"),
        new Group(List.of("metric3", "metric4"), "attr1", "attr1/val2"));
    List<String> first = List.of("metric1", "metric2");
    assertThat(names("metrics: {include: {match_type: strict, metric_names: [metric1, metric2],"
        + " resource_attributes: [{key: attr1, value: attr1/val1}]}}", metrics(new Group(first, "attr1", "attr1/val1",
            "attr2", "attr2/val2", "attr3", "attr3/val3")))).containsExactly(first);
    assertThat(names("metrics: {include: {match_type: strict, metric_names: [metric1, metric2, metric3, metric4],"
        + " resource_attributes: [{key: attr1, value: attr1/val1}]}}", two)).containsExactly(first);
    assertThat(names("metrics: {exclude: {match_type: strict, resource_attributes: [{key: attr1, value: attr1/val1}]}}",
        two)).containsExactly(List.of("metric3", "metric4"));
    assertThat(names("metrics: {include: {match_type: regexp, metric_names: [\".*\"],"
        + " resource_attributes: [{key: attr1, value: attr1/val1}]}}", two)).containsExactly(first);
    assertThat(names("metrics: {include: {match_type: regexp, resource_attributes: [{key: attr1, value: attr1/val1}]}}",
        two)).containsExactly(first);
    assertThat(names("metrics: {include: {match_type: strict, resource_attributes: [{key: attr1, value: attr1/val1}]}}",
        two)).containsExactly(first);
  }

  @Test
  void emptyResourceAndScope_withExclude_doNotFail() throws Exception {
    String filter = "metrics: {exclude: {match_type: strict, metric_names: [foo]}}";
    ExportMetricsServiceRequest emptyResource = ExportMetricsServiceRequest.newBuilder()
        .addResourceMetrics(ResourceMetrics.getDefaultInstance()).build();
    assertThat(names(filter, emptyResource)).isEmpty();
    ExportMetricsServiceRequest emptyMetric = ExportMetricsServiceRequest.newBuilder().addResourceMetrics(
        ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.getDefaultInstance())))
        .build();
    assertThat(names(filter, emptyMetric)).containsExactly(List.of(""));
  }

  private static ExportMetricsServiceRequest constructMetrics(UnaryOperator<List<Metric>> edit) {
    List<NumberDataPoint.Builder> base = new ArrayList<>();
    List<Metric> ms = new ArrayList<>();
    var a = attrs("attr1", "test1", "attr2", "test2", "attr3", "test3");
    ms.add(Metric.newBuilder().setName("operationA").setDescription("operationA description").setUnit("operationA unit")
        .setSum(Sum.newBuilder()
            .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(5).setAsDouble(1.0).addAllAttributes(a)
                .addAllAttributes(attrs("flags", "A|B|C")))
            .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(5).setAsDouble(3.7).addAllAttributes(a)
                .addAllAttributes(attrs("flags", "A|B|C")))).build());
    ms.add(Metric.newBuilder().setName("operationB").setDescription("operationB description").setUnit("operationB unit")
        .setHistogram(Histogram.newBuilder()
            .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(5).addAllAttributes(a)
                .addAllAttributes(attrs("flags", "C|D")).setCount(1))
            .addDataPoints(HistogramDataPoint.newBuilder().setStartTimeUnixNano(5).addAllAttributes(a)
                .addAllAttributes(attrs("flags", "C|D")))).build());
    ms.add(Metric.newBuilder().setName("operationC").setDescription("operationC description").setUnit("operationC unit")
        .setExponentialHistogram(ExponentialHistogram.newBuilder()
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(5).addAllAttributes(a)
                .setCount(1).setScale(1).setZeroCount(1))
            .addDataPoints(ExponentialHistogramDataPoint.newBuilder().setStartTimeUnixNano(5).addAllAttributes(a)))
        .build());
    ms.add(Metric.newBuilder().setName("operationD").setDescription("operationD description").setUnit("operationD unit")
        .setSummary(Summary.newBuilder()
            .addDataPoints(SummaryDataPoint.newBuilder().setStartTimeUnixNano(5).setTimeUnixNano(6).addAllAttributes(a)
                .setCount(1234).setSum(12.34))
            .addDataPoints(SummaryDataPoint.newBuilder().setSum(43.21))).build());
    ms.add(Metric.newBuilder().setName("operationE").setDescription("operationE description").setUnit("operationE unit")
        .setGauge(Gauge.newBuilder()
            .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(5).setAsDouble(1.0).addAllAttributes(a))
            .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(5).setAsDouble(2.0).addAllAttributes(a)))
        .build());
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .setResource(Resource.newBuilder().addAllAttributes(attrs("host.name", "myhost")))
        .addScopeMetrics(ScopeMetrics.newBuilder().setScope(InstrumentationScope.newBuilder().setName("scope"))
            .addAllMetrics(edit.apply(ms)))).build();
  }

  private static void check(String filter, UnaryOperator<List<Metric>> expected) throws Exception {
    try (TestService s = FilterPipelines.start("metrics", filter)) {
      List<ExportMetricsServiceRequest> out = s.send(Signal.METRICS, constructMetrics(m -> m));
      if (expected == null) {
        assertThat(out).as(filter).isEmpty();
      } else {
        assertThat(out).as(filter).containsExactly(constructMetrics(expected));
      }
    }
  }

  private static List<Metric> without(List<Metric> ms, Metric.DataCase type) {
    return ms.stream().filter(m -> m.getDataCase() != type).toList();
  }

  private static List<Metric> replace(List<Metric> ms, int i, Metric m) {
    List<Metric> out = new ArrayList<>(ms);
    out.set(i, m);
    return out;
  }

  @Test
  void ottl_metricAndDataPointConditions() throws Exception {
    check("metrics: {metric: ['name == \"operationA\"']}", ms -> ms.subList(1, ms.size()));
    check("metrics: {metric: ['IsMatch(name, \"operation.*\")']}", null);
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_SUM and value_double == 1.0']}",
        ms -> replace(ms, 0, ms.get(0).toBuilder().setSum(ms.get(0).getSum().toBuilder().removeDataPoints(0)).build()));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_SUM']}", ms -> without(ms, Metric.DataCase.SUM));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_GAUGE and value_double == 1.0']}",
        ms -> replace(ms, 4, ms.get(4).toBuilder().setGauge(ms.get(4).getGauge().toBuilder().removeDataPoints(0))
            .build()));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_GAUGE']}", ms -> without(ms, Metric.DataCase.GAUGE));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_HISTOGRAM and count == 1']}",
        ms -> replace(ms, 1, ms.get(1).toBuilder().setHistogram(ms.get(1).getHistogram().toBuilder()
            .removeDataPoints(0)).build()));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_HISTOGRAM']}",
        ms -> without(ms, Metric.DataCase.HISTOGRAM));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM and count == 1']}",
        ms -> replace(ms, 2, ms.get(2).toBuilder().setExponentialHistogram(ms.get(2).getExponentialHistogram()
            .toBuilder().removeDataPoints(0)).build()));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_EXPONENTIAL_HISTOGRAM']}",
        ms -> without(ms, Metric.DataCase.EXPONENTIAL_HISTOGRAM));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_SUMMARY and sum == 43.21']}",
        ms -> replace(ms, 3, ms.get(3).toBuilder().setSummary(ms.get(3).getSummary().toBuilder().removeDataPoints(1))
            .build()));
    check("metrics: {datapoint: ['metric.type == METRIC_DATA_TYPE_SUMMARY']}", ms -> without(ms, Metric.DataCase.SUMMARY));
    check("metrics: {metric: ['resource.attributes[\"not real\"] == \"unknown\"', 'type != nil']}", null);
  }

  @Test
  void ottl_resourceConditions() throws Exception {
    check("metrics: {resource: ['attributes[\"host.name\"] == \"myhost\"']}", null);
    check("metrics: {resource: ['attributes[\"host.name\"] == \"otherhost\"']}", ms -> ms);
  }

  @Test
  void unchangedBatch_isPassedOnAsTheSameObject() throws Exception {
    try (TestService s = FilterPipelines.start("metrics", "metrics: {metric: ['name == \"none\"']}")) {
      ExportMetricsServiceRequest in = constructMetrics(m -> m);
      assertThat(s.send(Signal.METRICS, in).get(0)).isSameAs(in);
    }
  }
}
