package dev.kansoku.aws.xray;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.pipeline.featuregate.FeatureGate;
import dev.kansoku.pipeline.featuregate.FeatureGates;
import java.util.Set;

/** {@code awsxray} exporter: spans to AWS X-Ray (or any PutTraceSegments endpoint) as segment documents. */
public final class AwsXrayExporterFactory implements ExporterFactory<AwsXrayExporterConfig> {
  static final FeatureGate SKIP_TIMESTAMP_VALIDATION = FeatureGates.global().register(
      "exporter.awsxray.skiptimestampvalidation", FeatureGate.Stage.BETA,
      "Remove X-Ray's timestamp validation on the first 32 bits of the trace ID", "v0.84.0");
  static final FeatureGate ALLOW_DOT = FeatureGates.global().register("exporter.xray.allowDot",
      FeatureGate.Stage.BETA, "The X-Ray exporter keeps '.' in annotation keys instead of converting it to '_'",
      "v0.97.0");

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
