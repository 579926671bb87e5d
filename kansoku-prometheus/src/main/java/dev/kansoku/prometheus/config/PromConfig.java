package dev.kansoku.prometheus.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The receiver's {@code config} key: a Prometheus configuration file's content. Scraping keys are honoured;
 * what a receiver cannot do (rules, alerting, remote read/write) is refused as upstream refuses it.
 */
public final class PromConfig {
  public GlobalConfig global = new GlobalConfig();
  public List<ScrapeConfig> scrapeConfigs = new ArrayList<>();
  /** Prometheus settings for its own TSDB, tracing and runtime: accepted, without effect here, as upstream. */
  public JsonNode storage;
  public JsonNode tracing;
  public JsonNode runtime;
  public JsonNode otlp;

  @SuppressWarnings("unused")
  private void setRemoteWrite(JsonNode ignored) {
    throw unsupported("remote_write");
  }

  @SuppressWarnings("unused")
  private void setRemoteRead(JsonNode ignored) {
    throw unsupported("remote_read");
  }

  @SuppressWarnings("unused")
  private void setRuleFiles(JsonNode ignored) {
    throw unsupported("rule_files");
  }

  @SuppressWarnings("unused")
  private void setAlerting(JsonNode ignored) {
    throw unsupported("alerting (alert_config.alertmanagers, alert_config.relabel_configs)");
  }

  @SuppressWarnings("unused")
  private void setScrapeConfigFiles(JsonNode ignored) {
    throw new IllegalArgumentException("scrape_config_files is not supported by Kansoku: put the scrape configs"
        + " under scrape_configs");
  }

  private static IllegalArgumentException unsupported(String feature) {
    return new IllegalArgumentException("unsupported features:\n\t" + feature
        + " (the prometheus receiver scrapes only; it has no rules, alerting or remote storage)");
  }
}
