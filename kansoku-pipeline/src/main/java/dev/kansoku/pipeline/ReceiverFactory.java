package dev.kansoku.pipeline;

import java.util.Set;

public interface ReceiverFactory<C> extends ComponentFactory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.RECEIVER;
  }

  Set<Signal<?>> signals();

  /**
   * One receiver per configured id, however many pipelines use it: {@code next} holds the entry of
   * every pipeline of each signal it feeds.
   */
  Receiver create(C config, ComponentContext context, Consumers next);
}
