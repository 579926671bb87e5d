package dev.kansoku.aws.emf;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/** {@code awsemf} exporter: metrics as CloudWatch Embedded Metric Format log events. */
public final class AwsEmfExporterFactory implements ExporterFactory<AwsEmfExporterConfig> {
  @Override
  public String type() {
    return "awsemf";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public AwsEmfExporterConfig createDefaultConfig() {
    return new AwsEmfExporterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Exporter create(AwsEmfExporterConfig config, ComponentContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    return new AwsEmfExporter(context.id().toString(), config, System.out, context.env());
  }
}
