package dev.kansoku.aws.ecscontainermetrics;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/**
 * {@code awsecscontainermetrics}: every {@code collection_interval}, the task's metadata and docker
 * stats from {@code ${ECS_CONTAINER_METADATA_URI_V4}/task} and {@code /task/stats}, as task and
 * container metrics. Metrics only.
 */
public final class EcsContainerMetricsReceiverFactory implements ReceiverFactory<EcsContainerMetricsConfig> {
  @Override
  public String type() {
    return "awsecscontainermetrics";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public EcsContainerMetricsConfig createDefaultConfig() {
    return new EcsContainerMetricsConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Receiver create(EcsContainerMetricsConfig config, ComponentContext context, Consumers next) {
    return new EcsContainerMetricsReceiver(context.id().toString(), config, context.env(), next);
  }
}
