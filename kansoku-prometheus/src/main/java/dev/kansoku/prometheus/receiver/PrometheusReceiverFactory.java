package dev.kansoku.prometheus.receiver;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.pipeline.featuregate.FeatureGate;
import dev.kansoku.pipeline.featuregate.FeatureGates;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code prometheus}: collector-contrib's Prometheus receiver. Scrapes the targets of Prometheus scrape configs
 * (static, file and Kubernetes discovery, relabeling, text and OpenMetrics formats) into OTLP metrics. Metrics only.
 */
public final class PrometheusReceiverFactory implements ReceiverFactory<PrometheusReceiverConfig> {
  /**
   * Stable: start times come only from the exposition (OpenMetrics {@code _created}); the collector's
   * {@code metricstarttime} processor, not the receiver, estimates the others. Listed so that
   * {@code --feature-gates} knows it, as the collector's registry does.
   */
  static final FeatureGate REMOVE_START_TIME_ADJUSTMENT = FeatureGates.global().register(
      "receiver.prometheusreceiver.RemoveStartTimeAdjustment", FeatureGate.Stage.STABLE,
      "The prometheus receiver no longer adjusts the start time of metrics", "v0.121.0");

  private static final Logger log = LoggerFactory.getLogger(PrometheusReceiverFactory.class);

  private final Clock clock;
  private final boolean offsetScrapes;

  public PrometheusReceiverFactory() {
    this(Clock.systemUTC(), true);
  }

  /** @param offsetScrapes spread first scrapes over the interval (off in tests, so they start at once) */
  PrometheusReceiverFactory(Clock clock, boolean offsetScrapes) {
    this.clock = clock;
    this.offsetScrapes = offsetScrapes;
  }

  @Override
  public String type() {
    return "prometheus";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public PrometheusReceiverConfig createDefaultConfig() {
    return new PrometheusReceiverConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Receiver create(PrometheusReceiverConfig config, ComponentContext context, Consumers next) {
    String id = context.id().toString();
    if (config.useStartTimeMetric || config.startTimeMetricRegex != null) {
      log.warn("prometheus receiver {}: use_start_time_metric and start_time_metric_regex are deprecated and have no"
          + " effect (the receiver no longer estimates start times; upstream's metricstarttime processor does)", id);
    }
    if (config.reportExtraScrapeMetrics) {
      log.warn("prometheus receiver {}: report_extra_scrape_metrics is deprecated and ignored, as upstream ignores it",
          id);
    }
    config.config.scrapeConfigs.forEach(sc -> sc.metricRelabelConfigs.forEach(rc -> {
      if ("__name__".equals(rc.targetLabel)) {
        log.warn("prometheus receiver {}: job {}: metric renaming using metric_relabel_configs will result in"
            + " unknown-typed metrics without a unit or description", id, sc.jobName);
      }
    }));
    String version = Objects.requireNonNullElse(getClass().getPackage().getImplementationVersion(), "");
    return new PrometheusReceiver(id, config.jobs(), new ScrapeLoop.Settings(config.trimMetricSuffixes, version, clock),
        offsetScrapes, next.get(Signal.METRICS).orElse(null));
  }
}
