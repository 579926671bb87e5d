package dev.kansoku.contrib.metricstransformprocessor;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.Objects;
import java.util.Set;

/** {@code metricstransform}: the collector-contrib metrics transform processor (update, insert, combine). Metrics only. */
public final class MetricsTransformProcessorFactory implements ProcessorFactory<MetricsTransformConfig> {
  @Override
  public String type() {
    return "metricstransform";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public MetricsTransformConfig createDefaultConfig() {
    return new MetricsTransformConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> Processor<T> create(MetricsTransformConfig config, ComponentContext context, Signal<T> signal,
      DataConsumer<T> next) {
    // {{version}} in new values is the build's version, as upstream's is the collector's.
    String version = Objects.requireNonNullElse(getClass().getPackage().getImplementationVersion(), "");
    return (Processor<T>) new MetricsTransformProcessor(context.id().toString(), config.compile(version),
        (DataConsumer<ExportMetricsServiceRequest>) next);
  }
}
