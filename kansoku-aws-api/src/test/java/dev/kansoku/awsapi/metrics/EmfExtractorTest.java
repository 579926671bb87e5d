package dev.kansoku.awsapi.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.store.InMemoryStorage;
import dev.kansoku.store.MetricQuery;
import dev.kansoku.store.MetricSeries;
import dev.kansoku.store.Statistic;
import dev.kansoku.store.Storage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class EmfExtractorTest {
  private static final long EVENT_MS = 1_764_633_600_000L;

  @Test
  void specExampleGivesOneMetricPerDimensionSet() {
    String doc = """
        {"_aws": {"Timestamp": 1574109732004, "CloudWatchMetrics": [{"Namespace": "lambda-function-metrics",
          "Dimensions": [["functionVersion"], ["functionVersion", "Operation"], []],
          "Metrics": [{"Name": "time", "Unit": "Milliseconds", "StorageResolution": 60}]}]},
         "functionVersion": "$LATEST", "Operation": "Aggregator", "time": 100,
         "requestId": "989ffbf8-9ace-4817-a57c-e4dd734019ee"}""";
    List<MetricPoint> points = EmfExtractor.extract(doc, "/aws/lambda/f", EVENT_MS);
    assertThat(points).hasSize(3).allSatisfy(p -> {
      assertThat(p.namespace()).isEqualTo("lambda-function-metrics");
      assertThat(p.name()).isEqualTo("time");
      assertThat(p.unit()).isEqualTo("Milliseconds");
      assertThat(p.value()).isEqualTo(100.0);
      assertThat(p.timeNanos()).isEqualTo(1574109732004L * 1_000_000L);
    });
    assertThat(points).extracting(MetricPoint::dimensions).containsExactly(
        Map.of("functionVersion", "$LATEST"), Map.of("functionVersion", "$LATEST", "Operation", "Aggregator"), Map.of());
  }

  @Test
  void arrayValuesAreSamplesAndMissingDimensionSkipsTheSet() {
    String doc = """
        {"_aws": {"CloudWatchMetrics": [{"Namespace": "dice-server", "Dimensions": [["Service"], ["Missing"]],
          "Metrics": [{"Name": "latency"}, {"Name": "absent"}]}]},
         "Service": "dice", "latency": [1, 2.5, "x", 4]}""";
    List<MetricPoint> points = EmfExtractor.extract(doc, "g", EVENT_MS);
    assertThat(points).extracting(MetricPoint::value).containsExactly(1.0, 2.5, 4.0);
    assertThat(points).allSatisfy(p -> {
      assertThat(p.dimensions()).isEqualTo(Map.of("Service", "dice"));
      assertThat(p.unit()).isEqualTo("None");
      assertThat(p.timeNanos()).isEqualTo(EVENT_MS * 1_000_000L); // no _aws.Timestamp: the event's
    });
  }

  @Test
  void legacyRootLevelFormatOfContainerInsights() {
    String doc = """
        {"Version": "0", "Type": "Task", "ClusterName": "c1", "TaskDefinitionFamily": "dice",
         "Timestamp": "1764633660000", "CpuUtilized": 12.5, "MemoryUtilized": 256,
         "CloudWatchMetrics": [{"Namespace": "ECS/ContainerInsights",
           "Dimensions": [["ClusterName"], ["ClusterName", "TaskDefinitionFamily"]],
           "Metrics": [{"Name": "CpuUtilized", "Unit": "None"}, {"Name": "MemoryUtilized", "Unit": "Megabytes"}]}]}""";
    List<MetricPoint> points = EmfExtractor.extract(doc, "/aws/ecs/containerinsights/c1/performance", EVENT_MS);
    assertThat(points).hasSize(4);
    assertThat(points.get(0).timeNanos()).isEqualTo(1764633660000L * 1_000_000L);
    assertThat(points).filteredOn(p -> p.name().equals("MemoryUtilized"))
        .allSatisfy(p -> assertThat(p.unit()).isEqualTo("Megabytes"));
  }

  @Test
  void statisticSetAndHistogramKeepExactCountSumMinMax() {
    String doc = """
        {"_aws": {"Timestamp": 1764633600000, "CloudWatchMetrics": [{"Namespace": "ns", "Dimensions": [["label1"]],
          "Metrics": [{"Name": "summary", "Unit": "Seconds"}, {"Name": "foo", "Unit": "Seconds"}]}]},
         "label1": "value1",
         "summary": {"Max": 9, "Min": 1, "Count": 4, "Sum": 20},
         "foo": {"Values": [12, 3, 0, -1.5, -3], "Counts": [2, 1, 1, 3, 4], "Max": 7, "Min": -5.5, "Count": 11,
                 "Sum": 0}}""";
    List<MetricPoint> points = EmfExtractor.extract(doc, "/metrics/ns", EVENT_MS);
    assertThat(points).hasSize(2);
    Storage store = InMemoryStorage.builder().build();
    store.metricWriter().write(points);
    MetricSeries summary = one(store, "summary");
    assertThat(summary.values(Statistic.SUM)).containsExactly(20.0);
    assertThat(summary.values(Statistic.SAMPLE_COUNT)).containsExactly(4.0);
    assertThat(summary.values(Statistic.MINIMUM)).containsExactly(1.0);
    assertThat(summary.values(Statistic.MAXIMUM)).containsExactly(9.0);
    MetricSeries foo = one(store, "foo");
    assertThat(foo.values(Statistic.SAMPLE_COUNT)).containsExactly(11.0);
    assertThat(foo.values(Statistic.SUM)).containsExactly(0.0);
    assertThat(foo.values(Statistic.MINIMUM)).containsExactly(-5.5);
    assertThat(foo.values(Statistic.MAXIMUM)).containsExactly(7.0);
    assertThat(points.get(1).kind()).isEqualTo(MetricKind.HISTOGRAM);
    store.close();
  }

  private static MetricSeries one(Storage store, String name) {
    List<MetricSeries> s = store.metricSearch().query(MetricQuery.builder("ns", name).dimension("label1", "value1")
        .window(0, Long.MAX_VALUE).periodSeconds(60).statistic(Statistic.SUM).statistic(Statistic.SAMPLE_COUNT)
        .statistic(Statistic.MINIMUM).statistic(Statistic.MAXIMUM).build());
    assertThat(s).hasSize(1);
    return s.get(0);
  }

  @Test
  void ordinaryAndMalformedEventsGiveNothing() {
    assertThat(EmfExtractor.extract("GET /roll 200 3ms", "g", EVENT_MS)).isEmpty();
    assertThat(EmfExtractor.extract("{\"CloudWatchMetrics\": [", "g", EVENT_MS)).isEmpty();
    assertThat(EmfExtractor.extract("{\"_aws\": {\"CloudWatchMetrics\": {}}}", "g", EVENT_MS)).isEmpty();
    assertThat(EmfExtractor.extract("{\"_aws\": {\"CloudWatchMetrics\": [{\"Metrics\": [{\"Name\": \"x\"}]}]}, "
        + "\"x\": 1}", "g", EVENT_MS)).isEmpty(); // no Namespace
    assertThat(EmfExtractor.extract(null, "g", EVENT_MS)).isEmpty();
  }

  /** Every event of ADOT's awsemf golden outputs (kansoku-aws test resources) yields its declared metrics. */
  @Test
  void awsemfGoldenOutputs() throws IOException {
    Path cases = Path.of("../kansoku-aws/src/test/resources/emf/cases");
    Assumptions.assumeTrue(Files.isDirectory(cases), "kansoku-aws golden EMF cases not found");
    ObjectMapper mapper = new ObjectMapper();
    int events = 0;
    try (Stream<Path> files = Files.list(cases)) {
      for (Path f : files.sorted().toList()) {
        for (JsonNode export : mapper.readTree(f.toFile()).path("exports")) {
          for (JsonNode event : export.path("expected")) {
            JsonNode message = event.get("message");
            String text = message.isTextual() ? message.asText() : mapper.writeValueAsString(message);
            List<MetricPoint> points = EmfExtractor.extract(text, event.path("logGroup").asText(),
                event.path("timestamp").asLong());
            JsonNode directives = message.isTextual() ? mapper.readTree(text) : message;
            JsonNode cwm = directives.has("_aws") ? directives.path("_aws").path("CloudWatchMetrics")
                : directives.path("CloudWatchMetrics");
            Set<String> declared = new HashSet<>();
            for (JsonNode d : cwm) {
              if (!anyDimensionSetValid(directives, d.path("Dimensions"))) {
                continue; // CloudWatch drops a set with an empty value; with no set left, no metric
              }
              for (JsonNode m : d.path("Metrics")) {
                if (isValue(directives.get(m.path("Name").asText()))) {
                  declared.add(d.path("Namespace").asText() + "/" + m.path("Name").asText());
                }
              }
            }
            Set<String> got = new HashSet<>();
            points.forEach(p -> got.add(p.namespace() + "/" + p.name()));
            assertThat(got).as("%s: %s", f.getFileName(), text).isEqualTo(declared);
            events++;
          }
        }
      }
    }
    assertThat(events).isGreaterThan(20);
  }

  /** Whether the directive keeps a dimension set: none declared, or one whose values are all 1 to 1024 chars. */
  private static boolean anyDimensionSetValid(JsonNode root, JsonNode sets) {
    if (!sets.isArray() || sets.isEmpty()) {
      return true;
    }
    for (JsonNode set : sets) {
      boolean valid = true;
      for (JsonNode key : set) {
        JsonNode v = root.get(key.asText());
        String text = v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString();
        valid &= !text.isEmpty() && text.length() <= 1024;
      }
      if (valid) {
        return true;
      }
    }
    return false;
  }

  private static boolean isValue(JsonNode v) {
    return v != null && (v.isNumber() || (v.isArray() && !v.isEmpty())
        || (v.isObject() && v.path("Count").asDouble() > 0));
  }
}
