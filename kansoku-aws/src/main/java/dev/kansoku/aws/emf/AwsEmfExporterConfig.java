package dev.kansoku.aws.emf;

import dev.kansoku.aws.AwsSessionConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code awsemf}: turns metrics into CloudWatch Embedded Metric Format log events and writes them
 * to CloudWatch Logs (or stdout), as ADOT's awsemf exporter does. Public so that a benchmark can build
 * an {@link EmfTranslator} without YAML; fields are the YAML keys in camelCase.
 */
public final class AwsEmfExporterConfig extends AwsSessionConfig {
  static final String ZERO_AND_SINGLE = "ZeroAndSingleDimensionRollup";
  static final String SINGLE_ONLY = "SingleDimensionRollupOnly";
  static final String NO_ROLLUP = "NoDimensionRollup";
  private static final Set<String> ROLLUPS = Set.of(ZERO_AND_SINGLE, SINGLE_ONLY, NO_ROLLUP);
  /** cwlogs.ValidateRetentionValue's list (v0.156.0 has no 1096). */
  private static final Set<Long> RETENTION_DAYS = Set.of(0L, 1L, 3L, 5L, 7L, 14L, 30L, 60L, 90L, 120L, 150L, 180L,
      365L, 400L, 545L, 731L, 1827L, 2192L, 2557L, 2922L, 3288L, 3653L);
  /** cwlogs.ValidateTagsInput: at most 50 tags, these characters, keys 1-128 and values 1-256 UTF-8 bytes. */
  private static final Pattern TAG_TEXT = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+");
  /** The units CloudWatch accepts (API_MetricDatum); metric_descriptors with any other unit are dropped. */
  static final Set<String> CLOUDWATCH_UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
      "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
      "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
      "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
      "None");

  /**
   * Log group of the events; may use placeholders such as {ClusterName}, {TaskId}, {ServiceName}. Empty
   * means /metrics/&lt;namespace&gt;. Example: /aws/ecs/containerinsights/{ClusterName}/prometheus.
   */
  public String logGroupName = "";
  /** Log stream; placeholders as for log_group_name. Empty means otel-stream-&lt;exporter uuid&gt;. Example: {TaskId}. */
  public String logStreamName = "";
  /** CloudWatch namespace; empty means service.namespace/service.name of the resource. Example: dice-server. */
  public String namespace = "";
  /** Send the first value of a cumulative counter as its delta instead of only using it as the baseline. Example: true. */
  public boolean retainInitialValueOfDeltaMetric;
  /** ZeroAndSingleDimensionRollup, SingleDimensionRollupOnly or NoDimensionRollup. Example: NoDimensionRollup. */
  public String dimensionRollupOption = ZERO_AND_SINGLE;
  /** Retention in days of a log group the exporter creates; 0 keeps logs forever. Example: 30. */
  public long logRetention;
  /** Tags of a log group the exporter creates. Example: {@code team: observability}. */
  public Map<String, String> tags = new LinkedHashMap<>();
  /** Attribute keys whose string values are JSON to embed as objects. Example: [kubernetes, Sources]. */
  public List<String> parseJsonEncodedAttrValues = new ArrayList<>();
  /** Rules that choose the dimensions of matching metrics; metrics no rule selects get no dimensions. */
  public List<MetricDeclaration> metricDeclarations = new ArrayList<>();
  /** Unit overrides per metric name. Example: {@code - metric_name: jvm.memory.used, unit: Bytes}. */
  public List<MetricDescriptor> metricDescriptors = new ArrayList<>();
  /** cloudwatch (PutLogEvents) or stdout (one EMF JSON per line). Example: stdout. */
  public String outputDestination = "cloudwatch";
  /** Wrap EKS Fargate Pod/Container labels into a "kubernetes" object. Example: true. */
  public boolean eksFargateContainerInsightsEnabled;
  /** Copy the resource attributes onto every data point, so they become dimensions. */
  public ResourceToTelemetry resourceToTelemetryConversion = new ResourceToTelemetry();
  /** Summaries as _sum, _count and one value per quantile instead of a statistic set. Example: true. */
  public boolean detailedMetrics;
  /** EMF version: "1" (the _aws block) or "0" (top-level CloudWatchMetrics, string Timestamp). Example: "1". */
  public String version = "1";

  /** {@code resource_to_telemetry_conversion}. */
  public static final class ResourceToTelemetry {
    /** Example: true. */
    public boolean enabled;
    /** Leave service.name, service.namespace and service.instance.id out of the copied attributes. Example: true. */
    public boolean excludeServiceAttributes;
  }

  /** {@code metric_descriptors[]}: the unit a metric is reported with. */
  public static final class MetricDescriptor {
    /** Example: jvm.memory.used. */
    public String metricName = "";
    /** One of the CloudWatch units. Example: Bytes. */
    public String unit = "";
    /** Replace a unit the metric already has (otherwise only an empty unit is set). Example: true. */
    public boolean overwrite;
  }

  /** {@code metric_declarations[]}: which metrics get which dimension sets. */
  public static final class MetricDeclaration {
    /** Dimension sets (lists of label names, at most 10 each). Example: [[service.name, pool]]. */
    public List<List<String>> dimensions = new ArrayList<>();
    /** Regular expressions matched (anywhere) against metric names; required. Example: ["^jvm\\.memory\\."]. */
    public List<String> metricNameSelectors = new ArrayList<>();
    /** Optional label filters; a declaration applies when any matches. */
    public List<LabelMatcher> labelMatchers = new ArrayList<>();
  }

  /** {@code label_matchers[]}: the values of label_names joined with separator must match regex. */
  public static final class LabelMatcher {
    /** Example: [Service, Namespace]. */
    public List<String> labelNames = new ArrayList<>();
    /** Joins the label values; default ";". Example: ";". */
    public String separator = "";
    /** Regular expression matched (anywhere) against the joined values. Example: "^dice;prod$". */
    public String regex = "";
  }

  @Override
  public void validate() {
    super.validate();
    if (!ROLLUPS.contains(dimensionRollupOption)) {
      throw new IllegalArgumentException("dimension_rollup_option: \"" + dimensionRollupOption
          + "\" (expected: ZeroAndSingleDimensionRollup, SingleDimensionRollupOnly or NoDimensionRollup)");
    }
    String dest = outputDestination.toLowerCase(Locale.ROOT);
    if (!dest.equals("cloudwatch") && !dest.equals("stdout")) {
      throw new IllegalArgumentException("output_destination: \"" + outputDestination
          + "\" (expected: cloudwatch or stdout)");
    }
    if (!version.equals("0") && !version.equals("1")) {
      throw new IllegalArgumentException("version: \"" + version + "\" (expected: \"0\" or \"1\")");
    }
    if (!RETENTION_DAYS.contains(logRetention)) {
      throw new IllegalArgumentException("log_retention: " + logRetention + " (expected: 0 (never expire), 1, 3, 5, 7,"
          + " 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1827, 2192, 2557, 2922, 3288 or 3653)");
    }
    if (tags.size() > 50) {
      throw new IllegalArgumentException("tags: " + tags.size() + " tags (at most 50)");
    }
    tags.forEach((k, v) -> {
      if (!tagText(k, 128) || !tagText(v == null ? "" : v, 256)) {
        throw new IllegalArgumentException("tags: \"" + k + "\": \"" + v + "\" (keys of 1 to 128 bytes, values of 1 to 256,"
            + " letters, digits, spaces and _.:/=+-@)");
      }
    });
    for (int i = 0; i < metricDeclarations.size(); i++) {
      MetricDeclaration d = metricDeclarations.get(i);
      // The reference panics on a bad selector (regexp.MustCompile); a bad label matcher regex only
      // drops its declaration, as CompiledDeclaration does.
      for (String s : d.metricNameSelectors) {
        checkRegex("metric_declarations[" + i + "]::metric_name_selectors", s);
      }
    }
  }

  private static boolean tagText(String s, int maxBytes) {
    int bytes = s.getBytes(StandardCharsets.UTF_8).length;
    return bytes >= 1 && bytes <= maxBytes && TAG_TEXT.matcher(s).matches();
  }

  private static void checkRegex(String key, String regex) {
    try {
      Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(key + ": \"" + regex + "\" is not a regular expression ("
          + e.getDescription() + ")");
    }
  }
}
