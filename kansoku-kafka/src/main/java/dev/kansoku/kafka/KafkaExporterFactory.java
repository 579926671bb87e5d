package dev.kansoku.kafka;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/** {@code kafka} exporter: OTLP export requests as messages on Kafka topics. */
public final class KafkaExporterFactory implements ExporterFactory<KafkaExporterConfig> {
  @Override
  public String type() {
    return "kafka";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public KafkaExporterConfig createDefaultConfig() {
    return new KafkaExporterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Exporter create(KafkaExporterConfig config, ComponentContext context) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    return new KafkaExporter(context.id().toString(), config);
  }
}
