package dev.kansoku.kafka;

import static java.util.Objects.requireNonNull;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/** {@code kafka} receiver: OTLP export requests from Kafka topics, committed once the pipeline accepted them. */
public final class KafkaReceiverFactory implements ReceiverFactory<KafkaReceiverConfig> {
  @Override
  public String type() {
    return "kafka";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public KafkaReceiverConfig createDefaultConfig() {
    return new KafkaReceiverConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Receiver create(KafkaReceiverConfig config, ComponentContext context, Consumers next) {
    requireNonNull(config, "config");
    requireNonNull(context, "context");
    requireNonNull(next, "next");
    return new KafkaReceiver(context.id().toString(), config, next);
  }
}
