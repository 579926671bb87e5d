package dev.kansoku.aws.emf;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.pipeline.featuregate.FeatureGate;
import dev.kansoku.pipeline.featuregate.FeatureGates;
import java.util.Set;

/** {@code awsemf} exporter: metrics as CloudWatch Embedded Metric Format log events. */
public final class AwsEmfExporterFactory implements ExporterFactory<AwsEmfExporterConfig> {
  static final FeatureGate NO_DIMENSION_ROLLUP_DEFAULT = FeatureGates.global().register("awsemf.nodimrollupdefault",
      FeatureGate.Stage.ALPHA, "Changes the default dimension_rollup_option to NoDimensionRollup", "v0.83.0");

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
    AwsEmfExporterConfig config = new AwsEmfExporterConfig();
    if (NO_DIMENSION_ROLLUP_DEFAULT.isEnabled()) {
      config.dimensionRollupOption = AwsEmfExporterConfig.NO_ROLLUP;
    }
    return config;
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
