package dev.kansoku.aws.xrayreceiver;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/**
 * {@code awsxray}: the X-Ray daemon's UDP ingest (default localhost:2000). Each datagram holds one
 * segment document, which becomes one span per segment and subsegment. Traces only.
 */
public final class AwsXrayReceiverFactory implements ReceiverFactory<AwsXrayReceiverConfig> {
  @Override
  public String type() {
    return "awsxray";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public AwsXrayReceiverConfig createDefaultConfig() {
    return new AwsXrayReceiverConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.TRACES);
  }

  @Override
  public Receiver create(AwsXrayReceiverConfig config, ComponentContext context, Consumers next) {
    return new AwsXrayReceiver(context.id().toString(), config, next, context.env());
  }
}
