package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

public final class MemoryLimiterProcessorFactory implements ProcessorFactory<MemoryLimiterConfig> {
  @Override
  public String type() {
    return "memory_limiter";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public MemoryLimiterConfig createDefaultConfig() {
    return new MemoryLimiterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public <T> Processor<T> create(MemoryLimiterConfig config, ComponentContext context, Signal<T> signal,
      DataConsumer<T> next) {
    String id = context.id().toString();
    MemoryChecker checker = context.shared(MemoryChecker.class, () -> new MemoryChecker(id, config));
    return new MemoryLimiterProcessor<>(id, checker, next);
  }
}
