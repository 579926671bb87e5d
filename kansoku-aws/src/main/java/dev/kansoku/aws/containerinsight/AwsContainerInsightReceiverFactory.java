package dev.kansoku.aws.containerinsight;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Optional;
import java.util.Set;

/**
 * {@code awscontainerinsight} (formerly {@code awscontainerinsightreceiver}): CloudWatch Container
 * Insights metrics of the host. ECS mode (an ECS container instance: CPU, memory, network, file
 * systems, block I/O, running tasks and reserved capacity) runs; EKS mode validates but does not
 * start. Metrics only.
 */
public final class AwsContainerInsightReceiverFactory implements ReceiverFactory<AwsContainerInsightReceiverConfig> {
  @Override
  public String type() {
    return "awscontainerinsight";
  }

  /** The name until collector-contrib renamed it (issue 44052); ADOT's shipped configurations use it. */
  @Override
  public Optional<String> deprecatedAlias() {
    return Optional.of("awscontainerinsightreceiver");
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public AwsContainerInsightReceiverConfig createDefaultConfig() {
    return new AwsContainerInsightReceiverConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Receiver create(AwsContainerInsightReceiverConfig config, ComponentContext context, Consumers next) {
    return AwsContainerInsightReceiver.create(context.id().toString(), config, context.env(), next);
  }
}
