package dev.kansoku.contrib.resourceprocessor;

import dev.kansoku.contrib.attraction.Actions;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/** {@code resource}: the collector-contrib resource processor (insert, update, delete … resource attributes). */
public final class ResourceProcessorFactory implements ProcessorFactory<ResourceConfig> {
  @Override
  public String type() {
    return "resource";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public ResourceConfig createDefaultConfig() {
    return new ResourceConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public <T> Processor<T> create(ResourceConfig config, ComponentContext context, Signal<T> signal,
      DataConsumer<T> next) {
    return new ResourceProcessor<>(signal, Actions.compile(config.attributes, "attributes"), next);
  }
}
