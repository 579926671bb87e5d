package dev.kansoku.prometheus.receiver;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.pipeline.Validatable;
import dev.kansoku.prometheus.config.PromConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** {@code prometheus}: scrapes Prometheus targets configured as in a Prometheus config file under {@code config}. */
final class PrometheusReceiverConfig implements Validatable {
  /** A Prometheus configuration: global and scrape_configs. Required. */
  PromConfig config;
  /** Trims unit and type suffixes from metric names (e.g. _seconds_total). Experimental upstream. */
  boolean trimMetricSuffixes;
  /**
   * Deprecated upstream and without effect since the receiver stopped estimating start times (v0.142): use the
   * metricstarttime processor. Accepted so older configs load; a warning says it is ignored.
   */
  boolean useStartTimeMetric;
  String startTimeMetricRegex;
  /** Deprecated upstream and ignored (feature gate RemoveReportExtraScrapeMetricsConfig); accepted with a warning. */
  boolean reportExtraScrapeMetrics;
  /** Prometheus's HTTP API server; only {@code enabled: false} is accepted (Kansoku does not serve it). */
  JsonNode apiServer;

  @SuppressWarnings("unused")
  private void setTargetAllocator(JsonNode ignored) {
    throw new IllegalArgumentException("target_allocator is not supported by Kansoku (it needs the OpenTelemetry"
        + " Operator's target allocator); list the targets with scrape_configs");
  }

  @Override
  public void validate() {
    if (config == null || config.scrapeConfigs.isEmpty()) {
      throw new IllegalArgumentException("no Prometheus scrape_configs or target_allocator set");
    }
    if (apiServer != null && !apiServer.isNull() && apiServer.path("enabled").asBoolean(false)) {
      throw new IllegalArgumentException("api_server: the Prometheus API server is not supported by Kansoku (set"
          + " enabled: false or remove api_server)");
    }
    jobs();
  }

  /** The scrape jobs, checked and resolved against the global settings. */
  List<Job> jobs() {
    GlobalSettings global = GlobalSettings.of(config.global, "config::global");
    List<Job> jobs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < config.scrapeConfigs.size(); i++) {
      Job job = Job.of(config.scrapeConfigs.get(i), global, "config::scrape_configs::" + i);
      if (!names.add(job.name())) {
        throw new IllegalArgumentException("config::scrape_configs::" + i + ": found multiple scrape configs with job"
            + " name \"" + job.name() + "\"");
      }
      jobs.add(job);
    }
    return jobs;
  }
}
