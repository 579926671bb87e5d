package dev.kansoku.contrib.resourceprocessor;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static dev.kansoku.contrib.attraction.TestAttrs.map;
import static dev.kansoku.contrib.attraction.TestAttrs.raw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;
import org.junit.jupiter.api.Test;

/** Upstream's resource processor cases, for traces, metrics and logs, and its configuration errors. */
class ResourceProcessorTest {
  private static final String PIPELINES = """
      receivers: {push: }
      exporters: {capture: }
      service:
        pipelines:
          traces: {receivers: [push], processors: [resource], exporters: [capture]}
          metrics: {receivers: [push], processors: [resource], exporters: [capture]}
          logs: {receivers: [push], processors: [resource], exporters: [capture]}
      """;
  private static final String UPSTREAM_CONFIG = """
      processors:
        resource:
          attributes:
          - {key: cloud.availability_zone, value: zone-1, action: upsert}
          - {key: k8s.cluster.name, from_attribute: k8s-cluster, action: insert}
          - {key: redundant-attribute, action: delete}
      """ + PIPELINES;

  /** No resource at all (null), an empty one, and one with attributes, as upstream's generators make them. */
  private static void check(String config, @Nullable List<KeyValue> source, Map<String, Object> expected)
      throws Exception {
    try (TestService s = TestService.start(config)) {
      Resource resource = source == null ? null : Resource.newBuilder().addAllAttributes(source).build();
      ResourceSpans.Builder rs = ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder()
          .addSpans(Span.newBuilder().setName("operationA")));
      ResourceMetrics.Builder rm = ResourceMetrics.newBuilder().addScopeMetrics(ScopeMetrics.newBuilder()
          .addMetrics(Metric.newBuilder().setName("gauge-int").setGauge(Gauge.newBuilder()
              .addDataPoints(NumberDataPoint.newBuilder().setAsInt(123)))));
      ResourceLogs.Builder rl = ResourceLogs.newBuilder().addScopeLogs(ScopeLogs.newBuilder()
          .addLogRecords(LogRecord.newBuilder().setSeverityText("Info")));
      if (resource != null) {
        rs.setResource(resource);
        rm.setResource(resource);
        rl.setResource(resource);
      }
      ExportTraceServiceRequest traces = s.roundTrip(Signal.TRACES,
          ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build());
      assertThat(raw(traces.getResourceSpans(0).getResource().getAttributesList())).isEqualTo(expected);
      assertThat(traces.getResourceSpans(0).getScopeSpans(0)).isEqualTo(rs.getScopeSpans(0));
      ExportMetricsServiceRequest metrics = s.roundTrip(Signal.METRICS,
          ExportMetricsServiceRequest.newBuilder().addResourceMetrics(rm).build());
      assertThat(raw(metrics.getResourceMetrics(0).getResource().getAttributesList())).isEqualTo(expected);
      assertThat(metrics.getResourceMetrics(0).getScopeMetrics(0)).isEqualTo(rm.getScopeMetrics(0));
      ExportLogsServiceRequest logs = s.roundTrip(Signal.LOGS,
          ExportLogsServiceRequest.newBuilder().addResourceLogs(rl).build());
      assertThat(raw(logs.getResourceLogs(0).getResource().getAttributesList())).isEqualTo(expected);
      assertThat(logs.getResourceLogs(0).getScopeLogs(0)).isEqualTo(rl.getScopeLogs(0));
    }
  }

  @Test
  void attributesApplied_onNilResource() throws Exception {
    check(UPSTREAM_CONFIG, null, map("cloud.availability_zone", "zone-1"));
  }

  @Test
  void attributesApplied_onEmptyResource() throws Exception {
    check(UPSTREAM_CONFIG, attrs(), map("cloud.availability_zone", "zone-1"));
  }

  @Test
  void attributesApplied_onExistingResourceAttributes() throws Exception {
    check(UPSTREAM_CONFIG, attrs("cloud.availability_zone", "to-be-replaced", "k8s-cluster", "test-cluster",
        "redundant-attribute", "to-be-removed"),
        map("cloud.availability_zone", "zone-1", "k8s-cluster", "test-cluster", "k8s.cluster.name", "test-cluster"));
  }

  @Test
  void attributesReplacement() throws Exception {
    check("""
        processors:
          resource:
            attributes:
            - {key: k8s.cluster.name, from_attribute: k8s-cluster, action: insert}
            - {key: k8s-cluster, action: delete}
        """ + PIPELINES, attrs("k8s-cluster", "test-cluster"), map("k8s.cluster.name", "test-cluster"));
  }

  @Test
  void aBatchTheActionsDoNotChange_isPassedOnAsTheSameObject() throws Exception {
    try (TestService s = TestService.start("""
        processors:
          resource: {attributes: [{key: gone, action: delete}, {key: TaskId, from_attribute: task, action: insert}]}
        """ + PIPELINES)) {
      ExportTraceServiceRequest req = ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAllAttributes(attrs("service.name", "dice")))).build();
      assertThat(s.roundTrip(Signal.TRACES, req)).isSameAs(req);
    }
  }

  @Test
  void defaultValue_andAnUnsetEnvironmentVariable() throws Exception {
    check("""
        processors:
          resource:
            attributes:
            - {key: deployment.environment, value: "${env:KANSOKU_TEST_UNSET_VARIABLE}", default_value: development,
               action: upsert}
            - {key: service.namespace, from_attribute: namespace, default_value: default, action: insert}
            - {key: cloud.region, from_context: metadata.region, default_value: us-east-1, action: upsert}
        """ + PIPELINES, attrs("namespace", "shop"),
        map("namespace", "shop", "deployment.environment", "development", "service.namespace", "shop",
            "cloud.region", "us-east-1"));
  }

  @Test
  void configurationErrors_nameThePath() {
    assertThatThrownBy(() -> TestService.load("processors: {resource/empty: }\n" + PIPELINES.replace("[resource]",
        "[resource/empty]"))).isInstanceOf(ConfigException.class).extracting(e -> ((ConfigException) e).problems())
        .isEqualTo(List.of("processors::resource/empty: attributes: missing; list at least one action, e.g."
            + " {key: deployment.environment, value: production, action: upsert}"));
    assertThatThrownBy(() -> TestService.load("""
        processors:
          resource:
            attributes:
            - {key: a, value: 1, action: insert}
            - {key: b, from_attribute: a, action: insrt}
        """ + PIPELINES)).isInstanceOf(ConfigException.class).extracting(e -> ((ConfigException) e).problems())
        .isEqualTo(List.of("processors::resource: attributes::1::action: unsupported action \"insrt\" (expected one"
            + " of insert, update, upsert, delete, hash, extract, convert)"));
    assertThatThrownBy(() -> TestService.load("""
        processors:
          resource:
            attributes: [{key: a, value: 1, action: insert, form_attribute: b}]
        """ + PIPELINES)).isInstanceOf(ConfigException.class).extracting(e -> ((ConfigException) e).problems())
        .asString().contains("processors::resource::attributes::0: unknown key \"form_attribute\"")
        .contains("from_attribute");
  }
}
