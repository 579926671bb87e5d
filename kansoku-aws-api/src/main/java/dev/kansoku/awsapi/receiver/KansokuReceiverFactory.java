package dev.kansoku.awsapi.receiver;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/**
 * {@code kansoku}: what AWS clients write to the {@code kansoku} extension's endpoint. In a traces
 * pipeline it receives PutTraceSegments, in logs PutLogEvents, in metrics PutMetricData (and the
 * metrics of EMF log events).
 */
public final class KansokuReceiverFactory implements ReceiverFactory<KansokuReceiverConfig> {
  @Override
  public String type() {
    return "kansoku";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public KansokuReceiverConfig createDefaultConfig() {
    return new KansokuReceiverConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Receiver create(KansokuReceiverConfig config, ComponentContext context, Consumers next) {
    return new KansokuReceiver(context.id().toString(), config, next);
  }
}
