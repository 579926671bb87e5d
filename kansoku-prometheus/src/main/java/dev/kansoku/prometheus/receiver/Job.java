package dev.kansoku.prometheus.receiver;

import dev.kansoku.prometheus.config.FileSdConfig;
import dev.kansoku.prometheus.config.PromDuration;
import dev.kansoku.prometheus.config.RelabelConfig;
import dev.kansoku.prometheus.config.ScrapeConfig;
import dev.kansoku.prometheus.discovery.FileDiscovery;
import dev.kansoku.prometheus.discovery.KubernetesSdConfig;
import dev.kansoku.prometheus.discovery.StaticDiscovery;
import dev.kansoku.prometheus.relabel.RelabelRule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One checked scrape config, its durations and limits resolved against the global block. */
record Job(String name, Duration interval, Duration timeout, String metricsPath, String scheme,
    Map<String, List<String>> params, boolean honorLabels, boolean honorTimestamps, boolean trackTimestampsStaleness,
    long sampleLimit, long labelLimit, long labelNameLengthLimit, long labelValueLengthLimit, long bodySizeLimit,
    String acceptHeader, String fallbackProtocol, boolean compression, List<RelabelRule> relabel,
    List<RelabelRule> metricRelabel, Map<String, String> externalLabels, ScrapeConfig config) {

  /** Prometheus's scrape protocols and the media types it asks for. */
  static final Map<String, String> PROTOCOLS = Map.of(
      "OpenMetricsText1.0.0", "application/openmetrics-text;version=1.0.0",
      "OpenMetricsText0.0.1", "application/openmetrics-text;version=0.0.1",
      "PrometheusText1.0.0", "text/plain;version=1.0.0",
      "PrometheusText0.0.4", "text/plain;version=0.0.4");
  static final List<String> DEFAULT_PROTOCOLS = List.of("OpenMetricsText1.0.0", "OpenMetricsText0.0.1",
      "PrometheusText1.0.0", "PrometheusText0.0.4");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?");

  static Job of(ScrapeConfig c, GlobalSettings global, String path) {
    if (c.jobName == null || c.jobName.isEmpty()) {
      throw new IllegalArgumentException(path + ": job_name is empty");
    }
    Duration interval = c.scrapeInterval == null ? global.interval() : duration(c.scrapeInterval, path + "::scrape_interval");
    if (interval.isZero()) {
      throw new IllegalArgumentException(path + "::scrape_interval: scrape interval cannot be 0");
    }
    Duration timeout;
    if (c.scrapeTimeout != null) {
      timeout = duration(c.scrapeTimeout, path + "::scrape_timeout");
      if (timeout.compareTo(interval) > 0) {
        throw new IllegalArgumentException(path + ": scrape timeout greater than scrape interval for scrape config"
            + " with job name \"" + c.jobName + "\" (" + PromDuration.format(timeout) + " > "
            + PromDuration.format(interval) + ")");
      }
    } else {
      timeout = global.timeout().compareTo(interval) > 0 ? interval : global.timeout();
    }
    if (!"http".equals(c.scheme) && !"https".equals(c.scheme)) {
      throw new IllegalArgumentException(path + "::scheme: unknown scrape scheme \"" + c.scheme
          + "\" (expected http or https)");
    }
    c.validate(path);
    StaticDiscovery.validate(c.staticConfigs, path + "::static_configs");
    for (int i = 0; i < c.fileSdConfigs.size(); i++) {
      FileSdConfig f = c.fileSdConfigs.get(i);
      FileDiscovery.validate(f, path + "::file_sd_configs::" + i, c.jobName);
    }
    for (int i = 0; i < c.kubernetesSdConfigs.size(); i++) {
      KubernetesSdConfig k = c.kubernetesSdConfigs.get(i);
      k.validate(path + "::kubernetes_sd_configs::" + i);
    }
    List<String> protocols = c.scrapeProtocols.isEmpty() ? global.protocols()
        : protocols(c.scrapeProtocols, path + "::scrape_protocols");
    if (c.fallbackScrapeProtocol != null && !PROTOCOLS.containsKey(c.fallbackScrapeProtocol)) {
      throw new IllegalArgumentException(path + "::fallback_scrape_protocol: unknown scrape protocol \""
          + c.fallbackScrapeProtocol + "\" (supported: " + String.join(", ", DEFAULT_PROTOCOLS) + ")");
    }
    if (Boolean.TRUE.equals(c.scrapeNativeHistograms) || Boolean.TRUE.equals(c.convertClassicHistogramsToNhcb)) {
      throw new IllegalArgumentException(path + ": native histograms (scrape_native_histograms,"
          + " convert_classic_histograms_to_nhcb) are not supported by Kansoku: they need the protobuf format");
    }
    String bodyLimit = c.bodySizeLimit != null ? c.bodySizeLimit : global.raw().bodySizeLimit;
    return new Job(c.jobName, interval, timeout, c.metricsPath, c.scheme, new LinkedHashMap<>(c.params), c.honorLabels,
        c.honorTimestamps, c.trackTimestampsStaleness,
        orGlobal(c.sampleLimit, global.raw().sampleLimit), orGlobal(c.labelLimit, global.raw().labelLimit),
        orGlobal(c.labelNameLengthLimit, global.raw().labelNameLengthLimit),
        orGlobal(c.labelValueLengthLimit, global.raw().labelValueLengthLimit),
        bodyLimit == null ? 0 : bytes(bodyLimit, path + "::body_size_limit"), acceptHeader(protocols),
        c.fallbackScrapeProtocol, c.enableCompression, rules(c.relabelConfigs, path + "::relabel_configs"),
        rules(c.metricRelabelConfigs, path + "::metric_relabel_configs"), global.externalLabels(), c);
  }

  private static long orGlobal(Long value, long global) {
    return value != null ? value : global;
  }

  static Duration duration(String text, String path) {
    try {
      return PromDuration.parse(text);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(path + ": " + e.getMessage());
    }
  }

  static List<String> protocols(List<String> given, String path) {
    if (given.isEmpty()) {
      return DEFAULT_PROTOCOLS;
    }
    for (String p : given) {
      if (!PROTOCOLS.containsKey(p)) {
        throw new IllegalArgumentException(path + ": unknown or unsupported scrape protocol \"" + p + "\" (Kansoku"
            + " parses " + String.join(", ", DEFAULT_PROTOCOLS) + "; PrometheusProto is not supported)");
      }
    }
    if (given.stream().distinct().count() != given.size()) {
      throw new IllegalArgumentException(path + ": duplicated protocol in scrape_protocols, got " + given);
    }
    return List.copyOf(given);
  }

  /** Prometheus's Accept header: the protocols by preference, then anything. */
  static String acceptHeader(List<String> protocols) {
    List<String> parts = new ArrayList<>();
    int weight = 6; // Prometheus knows five protocols; weights count down from their number + 1
    for (String p : protocols) {
      String v = PROTOCOLS.get(p);
      if (p.equals("PrometheusText1.0.0") || p.equals("OpenMetricsText1.0.0")) {
        v += ";escaping=allow-utf-8";
      }
      parts.add(v + ";q=0." + weight--);
    }
    parts.add("*/*;q=0." + weight);
    return String.join(",", parts);
  }

  private static long bytes(String text, String path) {
    Matcher m = SIZE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(path + ": cannot parse \"" + text + "\" as a size (expected e.g. 10MB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT).replace("I", "");
    int shift = switch (unit) {
      case "KB" -> 10;
      case "MB" -> 20;
      case "GB" -> 30;
      case "TB" -> 40;
      default -> 0;
    };
    return n << shift;
  }

  private static List<RelabelRule> rules(List<RelabelConfig> configs, String path) {
    List<RelabelRule> out = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      try {
        out.add(RelabelRule.compile(configs.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + "::" + i + ": " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }
}
