package dev.kansoku.otlp;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import java.util.Set;

/** {@code otlp} exporter: OTLP over gRPC. */
public final class OtlpGrpcExporterFactory implements ExporterFactory<OtlpGrpcExporterConfig> {
  @Override
  public String type() {
    return "otlp";
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
