package dev.kansoku.otlp;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Optional;
import java.util.Set;

/** {@code otlp_http} exporter (formerly {@code otlphttp}): OTLP over HTTP (protobuf or JSON). */
public final class OtlpHttpExporterFactory implements ExporterFactory<OtlpHttpExporterConfig> {
  @Override
  public String type() {
    return "otlp_http";
  }

  /** The name until collector v0.144. */
  @Override
  public Optional<String> deprecatedAlias() {
    return Optional.of("otlphttp");
  }

  @Override
  public Stability stability() {
    return Stability.STABLE;
  }

  @Override
  public OtlpHttpExporterConfig createDefaultConfig() {
    return new OtlpHttpExporterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Exporter create(OtlpHttpExporterConfig config, ComponentContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    return new OtlpHttpExporter(context.id().toString(), config);
  }
}
