package dev.kansoku.prometheus.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prometheus's {@code global} block: defaults for every scrape config. */
public final class GlobalConfig {
  public String scrapeInterval = "1m";
  /** Default 10s, or scrape_interval when that is shorter. */
  public String scrapeTimeout;
  /** Added to every data point that lacks them (Prometheus adds them on remote write; the receiver, to points). */
  public Map<String, String> externalLabels = new LinkedHashMap<>();
  /** Example: [OpenMetricsText1.0.0, PrometheusText0.0.4]. Unset: OpenMetrics first, then the text formats. */
  public List<String> scrapeProtocols = new ArrayList<>();
  public long sampleLimit;
  public long labelLimit;
  public long labelNameLengthLimit;
  public long labelValueLengthLimit;
  public long targetLimit;
  public String bodySizeLimit;
  public long keepDroppedTargets;
  public String metricNameValidationScheme;
  public String metricNameEscapingScheme;
  public boolean alwaysScrapeClassicHistograms;
  public boolean convertClassicHistogramsToNhcb;
  public boolean scrapeNativeHistograms;
  /** Rule evaluation settings: accepted, without effect in a receiver (it evaluates no rules). */
  public String evaluationInterval;
  public String ruleQueryOffset;
  public String queryLogFile;
  public String scrapeFailureLogFile;

  @SuppressWarnings("unused")
  private void setExtraScrapeMetrics(JsonNode ignored) {
    throw new IllegalArgumentException("extra_scrape_metrics is not supported by Kansoku");
  }
}
