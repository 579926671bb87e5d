package dev.kansoku.aws.xray;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/** {@code awsxray} exporter: spans to AWS X-Ray (or any PutTraceSegments endpoint) as segment documents. */
public final class AwsXrayExporterFactory implements ExporterFactory<AwsXrayExporterConfig> {
  @Override
  public String type() {
    return "awsxray";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public AwsXrayExporterConfig createDefaultConfig() {
    return new AwsXrayExporterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.TRACES);
  }

  @Override
  public Exporter create(AwsXrayExporterConfig config, ComponentContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    return new AwsXrayExporter(context.id().toString(), config, context.env());
  }
}
