package dev.kansoku.contrib.filterprocessor;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/**
 * {@code filter}: the collector-contrib filter processor (legacy include/exclude of spans, metrics and
 * log records, and OTTL conditions on resources, spans, span events, metrics, data points and log records).
 */
public final class FilterProcessorFactory implements ProcessorFactory<FilterConfig> {
  @Override
  public String type() {
    return "filter";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public FilterConfig createDefaultConfig() {
    return new FilterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public <T> Processor<T> create(FilterConfig config, ComponentContext context, Signal<T> signal,
      DataConsumer<T> next) {
    return new FilterProcessor<>(signal, FilterRules.compile(config, signal), next);
  }
}
