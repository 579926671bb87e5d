package dev.kansoku.prometheus.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.prometheus.discovery.KubernetesSdConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code scrape_configs} entry, with Prometheus's keys. Service discovery: static_configs,
 * file_sd_configs and kubernetes_sd_configs; the other discoveries are refused by name.
 */
public final class ScrapeConfig extends HttpClientConfig {
  /** Required, unique; becomes the {@code job} label and the resource's service.name. */
  public String jobName;
  /** Unset: the global scrape_interval. */
  public String scrapeInterval;
  /** Unset: the global scrape_timeout, at most scrape_interval. */
  public String scrapeTimeout;
  public List<String> scrapeProtocols = new ArrayList<>();
  /** The format assumed when a target sends no usable Content-Type, e.g. PrometheusText0.0.4. */
  public String fallbackScrapeProtocol;
  public String metricsPath = "/metrics";
  /** http or https. */
  public String scheme = "http";
  /** URL query parameters. Example: {module: [http_2xx]}. */
  public Map<String, List<String>> params = new LinkedHashMap<>();
  /** Scraped labels win over target labels instead of being renamed exported_*. */
  public boolean honorLabels;
  public boolean honorTimestamps = true;
  public boolean trackTimestampsStaleness;
  public boolean enableCompression = true;
  /** More samples than this (after metric relabeling) fail the scrape; 0 = no limit. */
  public Long sampleLimit;
  public Long labelLimit;
  public Long labelNameLengthLimit;
  public Long labelValueLengthLimit;
  public Long targetLimit;
  /** Largest body read, e.g. 10MB; unset: no limit. */
  public String bodySizeLimit;
  public Long keepDroppedTargets;
  public String metricNameValidationScheme;
  public String metricNameEscapingScheme;
  public Boolean alwaysScrapeClassicHistograms;
  public Boolean scrapeClassicHistograms;
  public Boolean convertClassicHistogramsToNhcb;
  public Boolean scrapeNativeHistograms;
  public Long nativeHistogramBucketLimit;
  public Double nativeHistogramMinBucketFactor;
  public List<StaticConfig> staticConfigs = new ArrayList<>();
  public List<FileSdConfig> fileSdConfigs = new ArrayList<>();
  public List<KubernetesSdConfig> kubernetesSdConfigs = new ArrayList<>();
  public List<RelabelConfig> relabelConfigs = new ArrayList<>();
  public List<RelabelConfig> metricRelabelConfigs = new ArrayList<>();

  @SuppressWarnings("unused")
  private void setOauth2(JsonNode ignored) {
    throw new IllegalArgumentException("oauth2 is not supported by Kansoku (use authorization, basic_auth or"
        + " bearer_token_file)");
  }

  @SuppressWarnings("unused")
  private void setHttpSdConfigs(JsonNode ignored) {
    throw unsupportedSd("http_sd_configs");
  }

  @SuppressWarnings("unused")
  private void setDnsSdConfigs(JsonNode ignored) {
    throw unsupportedSd("dns_sd_configs");
  }

  @SuppressWarnings("unused")
  private void setEc2SdConfigs(JsonNode ignored) {
    throw unsupportedSd("ec2_sd_configs");
  }

  @SuppressWarnings("unused")
  private void setEcsSdConfigs(JsonNode ignored) {
    throw unsupportedSd("ecs_sd_configs");
  }

  @SuppressWarnings("unused")
  private void setConsulSdConfigs(JsonNode ignored) {
    throw unsupportedSd("consul_sd_configs");
  }

  private static IllegalArgumentException unsupportedSd(String key) {
    return new IllegalArgumentException(key + " is not supported by Kansoku (supported: static_configs,"
        + " file_sd_configs, kubernetes_sd_configs)");
  }
}
