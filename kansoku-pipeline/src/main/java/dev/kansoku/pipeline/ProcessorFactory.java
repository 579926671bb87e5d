package dev.kansoku.pipeline;

import java.util.Set;

public interface ProcessorFactory<C> extends ComponentFactory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.PROCESSOR;
  }

  Set<Signal<?>> signals();

  /** One processor per pipeline that names it. */
  <T> Processor<T> create(C config, ComponentContext context, Signal<T> signal, DataConsumer<T> next);
}
