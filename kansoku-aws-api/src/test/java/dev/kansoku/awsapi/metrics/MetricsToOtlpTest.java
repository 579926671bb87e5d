package dev.kansoku.awsapi.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.OtlpToModel;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What PutMetricData and EMF make goes through OTLP and comes back as the same store points. */
class MetricsToOtlpTest {
  private static final long T = 1_764_633_600_123_000_000L;
  private static final Map<String, String> DIMS = Map.of("Service", "dice", "Env", "dev");

  private static List<MetricPoint> roundTrip(List<MetricPoint> points) {
    OtlpToModel.Converted<MetricPoint> back = OtlpToModel.metrics(MetricsToOtlp.request(points));
    assertThat(back.rejected()).as(back.firstError()).isZero();
    return back.items();
  }

  private static void check(List<MetricPoint> points) {
    assertThat(roundTrip(points)).containsExactlyInAnyOrderElementsOf(points);
  }

  @Test
  void everyShapeOfDatum_comesBackEqual() {
    List<MetricPoint> points = new ArrayList<>();
    points.add(Points.value("Apm/Test", "latency", "Milliseconds", DIMS, T, 12.5));
    points.add(Points.value("Apm/Test", "latency", "Milliseconds", Map.of(), T + 1, -0.25));
    Points.distribution(points, "dice-server", "rolls", "Count", DIMS, T, new double[] {1, 6}, new double[] {2, 3});
    Points.distribution(points, "dice-server", "sizes", "Bytes", DIMS, T, new double[] {10, 20, 30},
        new double[] {0.5, 20_000, 1});
    Points.statisticSet(points, "dice-server", "requests", "None", DIMS, T, 2, 50, 20, 30);
    Points.statisticSet(points, "dice-server", "errors", "None", DIMS, T, 3, 3, 1, 1);
    points.add(MetricPoint.histogram("ns", "emf", "Seconds", DIMS, T, 4, 10, Double.NaN, Double.NaN,
        List.of(1.0, 5.0), List.of(1L, 3L, 0L)));
    assertThat(points).extracting(MetricPoint::kind).map(Enum::name)
        .contains("GAUGE", "HISTOGRAM", "SUMMARY");
    check(points);
  }

  @Test
  void namespace_isServiceNamespaceSlashServiceName_asAwsemfNamesIt() {
    check(List.of(Points.value("Apm/Test", "m", "None", Map.of(), T, 1)));
    check(List.of(Points.value("a/b/c", "m", "None", Map.of(), T, 1)));
    check(List.of(Points.value("/leading", "m", "None", Map.of(), T, 1)));
    check(List.of(Points.value("trailing/", "m", "None", Map.of(), T, 1)));
    check(List.of(Points.value("plain", "m", "None", Map.of(), T, 1)));

    ExportMetricsServiceRequest r = MetricsToOtlp.request(List.of(Points.value("Apm/Test/x", "m", "None", Map.of(), T,
        1)));
    assertThat(r.getResourceMetrics(0).getResource().getAttributesList())
        .extracting(KeyValue::getKey, kv -> kv.getValue().getStringValue())
        .containsExactly(tuple("service.namespace", "Apm"), tuple("service.name", "Test/x"));
  }

  @Test
  void pointsOfOneMetric_shareOneOtlpMetric_perNamespace() {
    ExportMetricsServiceRequest r = MetricsToOtlp.request(List.of(
        Points.value("a", "m", "Count", DIMS, T, 1), Points.value("b", "m", "Count", DIMS, T, 2),
        Points.value("a", "m", "Count", Map.of(), T, 3), Points.value("a", "m", "Seconds", DIMS, T, 4)));
    assertThat(r.getResourceMetricsCount()).isEqualTo(2);
    assertThat(r.getResourceMetrics(0).getScopeMetrics(0).getMetricsList())
        .extracting(m -> m.getUnit() + ":" + m.getGauge().getDataPointsCount()).containsExactly("Count:2", "Seconds:1");
  }
}
