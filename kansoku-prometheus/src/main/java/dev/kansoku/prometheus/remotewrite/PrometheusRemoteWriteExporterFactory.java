package dev.kansoku.prometheus.remotewrite;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Optional;
import java.util.Set;

/** {@code prometheus_remote_write} exporter: metrics to a Prometheus remote write 1.0 endpoint. */
public final class PrometheusRemoteWriteExporterFactory implements ExporterFactory<PrometheusRemoteWriteConfig> {
  @Override
  public String type() {
    return "prometheus_remote_write";
  }

  /** The name until collector-contrib v0.156 (ADOT's shipped configurations use it). */
  @Override
  public Optional<String> deprecatedAlias() {
    return Optional.of("prometheusremotewrite");
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public PrometheusRemoteWriteConfig createDefaultConfig() {
    return new PrometheusRemoteWriteConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Exporter create(PrometheusRemoteWriteConfig config, ComponentContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    return new PrometheusRemoteWriteExporter(context.id().toString(), config);
  }
}
