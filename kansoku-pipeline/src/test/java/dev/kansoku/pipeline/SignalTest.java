package dev.kansoku.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SignalTest {
  @Test
  void traces_count_merge_split() {
    ExportTraceServiceRequest req = TestData.traces(3, 2, 5, 0);
    assertThat(Signal.TRACES.count(req)).isEqualTo(30);

    List<ExportTraceServiceRequest> parts = Signal.TRACES.split(req, 7);
    assertThat(parts).extracting(Signal.TRACES::count).containsExactly(7, 7, 7, 7, 2);
    assertThat(spanNamesWithOwners(Signal.TRACES.merge(parts))).isEqualTo(spanNamesWithOwners(req));
  }

  @Test
  void traces_split_keepsResourceAndScopeOfEverySpan() {
    ExportTraceServiceRequest req = TestData.traces(2, 2, 3, 0);
    for (ExportTraceServiceRequest part : Signal.TRACES.split(req, 4)) {
      for (ResourceSpans rs : part.getResourceSpansList()) {
        assertThat(rs.getScopeSpansList()).allSatisfy(ss -> assertThat(ss.getSpansCount()).isPositive());
      }
    }
    assertThat(spanNamesWithOwners(Signal.TRACES.merge(Signal.TRACES.split(req, 4))))
        .containsExactlyElementsOf(spanNamesWithOwners(req));
  }

  @Test
  void split_smallEnough_returnsSameInstance() {
    ExportTraceServiceRequest req = TestData.traces(1, 1, 5, 0);
    assertThat(Signal.TRACES.split(req, 5)).containsExactly(req);
  }

  @Test
  void split_rejectsNonPositiveMax() {
    assertThatThrownBy(() -> Signal.TRACES.split(TestData.traces(1, 1, 1, 0), 0))
        .hasMessage("max: 0 (expected: > 0)");
  }

  @Test
  void logs_split() {
    ExportLogsServiceRequest req = TestData.logs(2, 3, 4, 0);
    assertThat(Signal.LOGS.count(req)).isEqualTo(24);
    List<ExportLogsServiceRequest> parts = Signal.LOGS.split(req, 10);
    assertThat(parts).extracting(Signal.LOGS::count).containsExactly(10, 10, 4);
    assertThat(Signal.LOGS.merge(parts).getResourceLogsList().stream()
        .flatMap(rl -> rl.getScopeLogsList().stream())
        .flatMap(sl -> sl.getLogRecordsList().stream())
        .map(r -> r.getBody().getStringValue()).toList())
        .containsExactlyElementsOf(req.getResourceLogsList().stream()
            .flatMap(rl -> rl.getScopeLogsList().stream())
            .flatMap(sl -> sl.getLogRecordsList().stream())
            .map(r -> r.getBody().getStringValue()).toList());
  }

  @Test
  void metrics_countDataPoints_andCutOneMetricAcrossBatches() {
    ExportMetricsServiceRequest req = TestData.gauges(3, 4);
    assertThat(Signal.METRICS.count(req)).isEqualTo(12);
    List<ExportMetricsServiceRequest> parts = Signal.METRICS.split(req, 5);
    assertThat(parts).extracting(Signal.METRICS::count).containsExactly(5, 5, 2);
    // metric-1 has points 1000..1003: the first batch holds 1000, the second 1001..1003.
    assertThat(values(parts.get(0))).containsExactly(0.0, 1.0, 2.0, 3.0, 1000.0);
    assertThat(values(parts.get(1))).containsExactly(1001.0, 1002.0, 1003.0, 2000.0, 2001.0);
    assertThat(values(Signal.METRICS.merge(parts))).containsExactlyElementsOf(values(req));
  }

  private static List<String> spanNamesWithOwners(ExportTraceServiceRequest req) {
    List<String> out = new ArrayList<>();
    for (ResourceSpans rs : req.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span s : ss.getSpansList()) {
          out.add(rs.getResource().getAttributes(0).getValue().getStringValue() + "/" + ss.getScope().getName() + "/"
              + s.getName());
        }
      }
    }
    return out;
  }

  private static List<Double> values(ExportMetricsServiceRequest req) {
    List<Double> out = new ArrayList<>();
    req.getResourceMetricsList().forEach(rm -> rm.getScopeMetricsList().forEach(sm -> {
      for (Metric m : sm.getMetricsList()) {
        m.getGauge().getDataPointsList().forEach(dp -> out.add(dp.getAsDouble()));
      }
    }));
    return out;
  }
}
