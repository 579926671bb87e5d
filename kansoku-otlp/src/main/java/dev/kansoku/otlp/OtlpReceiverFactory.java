package dev.kansoku.otlp;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/** {@code otlp}: OTLP over gRPC (default localhost:4317) and HTTP (default localhost:4318). */
public final class OtlpReceiverFactory implements ReceiverFactory<OtlpReceiverConfig> {
  @Override
  public String type() {
    return "otlp";
  }

  @Override
  public Stability stability() {
    return Stability.STABLE;
  }

  @Override
  public OtlpReceiverConfig createDefaultConfig() {
    return new OtlpReceiverConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Receiver create(OtlpReceiverConfig config, ComponentContext context, Consumers next) {
    return new OtlpReceiver(context.id().toString(), config, next);
  }
}
