package dev.kansoku.otlp;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Optional;
import java.util.Set;

/** {@code otlp_grpc} exporter (formerly {@code otlp}): OTLP over gRPC. */
public final class OtlpGrpcExporterFactory implements ExporterFactory<OtlpGrpcExporterConfig> {
  @Override
  public String type() {
    return "otlp_grpc";
  }

  /** The name until collector v0.144. */
  @Override
  public Optional<String> deprecatedAlias() {
    return Optional.of("otlp");
  }

  @Override
  public Stability stability() {
    return Stability.STABLE;
  }

  @Override
  public OtlpGrpcExporterConfig createDefaultConfig() {
    return new OtlpGrpcExporterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Exporter create(OtlpGrpcExporterConfig config, ComponentContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    return new OtlpGrpcExporter(context.id().toString(), config);
  }
}
