package dev.kansoku.aws.emf;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.aws.emf.EmfTranslator.Group;
import dev.kansoku.aws.emf.EmfTranslator.MetricInfo;
import dev.kansoku.aws.json.GoJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One group of metrics → the JSON text of its EMF log event (the reference's
 * translateGroupedMetricToCWMetric and translateCWMetricToEMF): labels and values as fields, and the
 * metric directive with its dimension sets, from the rollup option or the metric declarations.
 *
 * <p>Thread-safe: immutable once built.
 */
final class EmfEventWriter {
  private static final Logger log = LoggerFactory.getLogger(EmfEventWriter.class);
  /** Go's json.Unmarshal refuses data after the value; Jackson reads past it unless told. */
  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String STORAGE_RESOLUTION = "aws.emf.storage_resolution";
  private static final Pattern ATOI = Pattern.compile("[+-]?[0-9]+");

  // Copied from the configuration, which is mutable.
  private final String rollup;
  private final String version;
  private final List<String> parseJsonKeys;
  private final List<CompiledDeclaration> declarations;

  EmfEventWriter(AwsEmfExporterConfig config) {
    this.rollup = config.dimensionRollupOption;
    this.version = config.version;
    this.parseJsonKeys = List.copyOf(config.parseJsonEncodedAttrValues);
    List<CompiledDeclaration> decls = new ArrayList<>();
    config.metricDeclarations.forEach(d -> CompiledDeclaration.compile(d).ifPresent(decls::add));
    this.declarations = List.copyOf(decls);
  }


  /** The event's JSON: one object, keys sorted as Go's encoding/json writes a map. */
  String write(Group g) {
    Map<String, String> labels = new TreeMap<>(g.labels);
    labels.remove(STORAGE_RESOLUTION);
    Map<String, Object> fields = new TreeMap<>(labels);
    for (Map.Entry<String, MetricInfo> e : g.metrics.entrySet()) {
      fields.put(e.getKey(), EmfDataPoints.json(e.getValue().value()));
    }
    if (EmfTranslator.PROMETHEUS.equals(g.receiver)) {
      fields.put("prom_metric_type", g.kind.promType);
    }
    List<Map<String, Object>> measurements =
        declarations.isEmpty() ? List.of(measurement(g, labels)) : filteredMeasurements(g, labels);
    for (String key : parseJsonKeys) {
      if (fields.get(key) instanceof String s) {
        try {
          JsonNode n = JSON.readTree(s);
          if (n != null && !n.isMissingNode() && finite(n)) {
            fields.put(key, GoJson.fromJackson(n));
          }
        } catch (IOException e) {
          log.debug("Failed to parse json-encoded string of {}", key);
        }
      }
    }
    if (version.equals("0")) {
      // EMF v0 always carries the (string) timestamp; the version only with metrics to extract.
      fields.put("Timestamp", Long.toString(g.timestampMs));
    }
    if (!measurements.isEmpty()) {
      if (version.equals("1")) {
        fields.put("Version", "1");
        Map<String, Object> aws = new LinkedHashMap<>();
        aws.put("CloudWatchMetrics", measurements);
        aws.put("Timestamp", g.timestampMs);
        fields.put("_aws", aws);
      } else {
        fields.put("Version", "0");
        fields.put("CloudWatchMetrics", measurements);
      }
    }
    return GoJson.write(fields);
  }

  /** False when a number overflows float64, which json.Unmarshal into any refuses. */
  private static boolean finite(JsonNode n) {
    if (n.isNumber()) {
      return Double.isFinite(n.doubleValue());
    }
    for (JsonNode child : n) {
      if (!finite(child)) {
        return false;
      }
    }
    return true;
  }

  private List<Map<String, Object>> metricInfos(Group g, Iterable<String> names) {
    long resolution = 60;
    String res = g.labels.get(STORAGE_RESOLUTION);
    // strconv.Atoi: ASCII digits with an optional sign, within int64; anything else leaves 60.
    if (res != null && ATOI.matcher(res).matches()) {
      try {
        resolution = Long.parseLong(res);
      } catch (NumberFormatException e) {
        // Out of int64's range: Atoi fails too.
      }
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (String name : names) {
      Map<String, Object> m = new LinkedHashMap<>(3);
      m.put("Name", name);
      m.put("Unit", g.metrics.get(name).unit());
      m.put("StorageResolution", resolution);
      out.add(m);
    }
    return out;
  }

  private Map<String, Object> measurement(Group g, Map<String, String> labels) {
    List<List<String>> dims = new ArrayList<>();
    List<String> all = List.copyOf(labels.keySet());
    dims.add(all);
    List<List<String>> rolled = rollup(labels);
    if (!rolled.isEmpty()) {
      boolean single = all.size() <= 1 || all.size() == 2 && labels.containsKey(EmfTranslator.OTEL_LIB);
      if (single && !rollup.equals(AwsEmfExporterConfig.NO_ROLLUP)) {
        // The single-label set would repeat a rolled-up one.
        dims.clear();
      }
    }
    dims.addAll(rolled);
    return measurementJson(g.namespace, dims, metricInfos(g, g.metrics.keySet()));
  }

  private static Map<String, Object> measurementJson(String ns, List<List<String>> dims, List<Map<String, Object>> ms) {
    Map<String, Object> m = new LinkedHashMap<>(3);
    m.put("Namespace", ns);
    m.put("Dimensions", dims);
    m.put("Metrics", ms.isEmpty() ? null : ms);
    return m;
  }

  /** Rolled-up dimension sets; OTelLib stays in every set, as it is not an original label. */
  private List<List<String>> rollup(Map<String, String> labels) {
    List<List<String>> out = new ArrayList<>();
    boolean otel = labels.containsKey(EmfTranslator.OTEL_LIB);
    List<String> zero = otel ? List.of(EmfTranslator.OTEL_LIB) : List.of();
    int others = labels.size() - (otel ? 1 : 0);
    if (rollup.equals(AwsEmfExporterConfig.ZERO_AND_SINGLE) && others > 0) {
      out.add(zero);
    }
    if (rollup.equals(AwsEmfExporterConfig.ZERO_AND_SINGLE) || rollup.equals(AwsEmfExporterConfig.SINGLE_ONLY)) {
      for (String name : labels.keySet()) {
        if (otel && name.equals(EmfTranslator.OTEL_LIB)) {
          continue;
        }
        List<String> set = new ArrayList<>(zero);
        set.add(name);
        set.sort(null);
        out.add(List.copyOf(set));
      }
    }
    return out;
  }

  private List<Map<String, Object>> filteredMeasurements(Group g, Map<String, String> labels) {
    List<CompiledDeclaration> matching = new ArrayList<>();
    for (CompiledDeclaration d : declarations) {
      if (d.matchesLabels(labels)) {
        matching.add(d);
      }
    }
    if (matching.isEmpty()) {
      log.debug("Dropped batch of metrics: no metric declaration matched labels {}", labels);
      return List.of();
    }
    Map<List<Integer>, List<String>> byDeclarations = new LinkedHashMap<>();
    for (String name : g.metrics.keySet()) {
      List<Integer> idx = new ArrayList<>();
      for (int i = 0; i < matching.size(); i++) {
        if (matching.get(i).matchesName(name)) {
          idx.add(i);
        }
      }
      if (idx.isEmpty()) {
        log.debug("Dropped metric: no metric declaration matched metric name {}", name);
        continue;
      }
      byDeclarations.computeIfAbsent(idx, k -> new ArrayList<>()).add(name);
    }
    List<List<String>> rolled = rollup(labels);
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<List<Integer>, List<String>> e : byDeclarations.entrySet()) {
      List<List<String>> dims = new ArrayList<>();
      for (int i : e.getKey()) {
        dims.addAll(matching.get(i).extractDimensions(labels));
      }
      dims.addAll(rolled);
      if (!dims.isEmpty()) {
        out.add(measurementJson(g.namespace, CompiledDeclaration.dedup(dims), metricInfos(g, e.getValue())));
      }
    }
    return out;
  }
}
