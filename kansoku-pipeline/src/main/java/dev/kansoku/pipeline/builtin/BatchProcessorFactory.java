package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

public final class BatchProcessorFactory implements ProcessorFactory<BatchConfig> {
  @Override
  public String type() {
    return "batch";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public BatchConfig createDefaultConfig() {
    return new BatchConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public <T> Processor<T> create(BatchConfig config, ComponentContext context, Signal<T> signal,
      DataConsumer<T> next) {
    return new BatchProcessor<>(context.id().toString(), signal, next, config.sendBatchSize, config.sendBatchMaxSize,
        config.timeout);
  }
}
