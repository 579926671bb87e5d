package dev.kansoku.contrib.attributesprocessor;

import dev.kansoku.contrib.attraction.Actions;
import dev.kansoku.contrib.filterconfig.MatchProperties;
import dev.kansoku.contrib.filterconfig.PropertiesMatcher;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * {@code attributes}: the collector-contrib attributes processor (insert, update, upsert, delete,
 * hash, extract, convert on span, log record and data point attributes, with include/exclude).
 */
public final class AttributesProcessorFactory implements ProcessorFactory<AttributesConfig> {
  @Override
  public String type() {
    return "attributes";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public AttributesConfig createDefaultConfig() {
    return new AttributesConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  /**
   * @throws IllegalArgumentException when include or exclude uses properties {@code signal} has not
   *     (e.g. log_bodies in a traces pipeline), as the collector refuses to build that pipeline
   */
  @Override
  public <T> Processor<T> create(AttributesConfig config, ComponentContext context, Signal<T> signal,
      DataConsumer<T> next) {
    String path = "processors::" + context.id();
    return new AttributesProcessor<>(signal, Actions.compile(config.actions, path + "::actions"),
        matcher(config.include, signal, path + "::include"), matcher(config.exclude, signal, path + "::exclude"), next);
  }

  @Nullable
  private static PropertiesMatcher matcher(@Nullable MatchProperties p, Signal<?> signal, String path) {
    if (p == null) {
      return null;
    }
    String problem = p.problemFor(signal);
    if (problem != null) {
      throw new IllegalArgumentException(path + ": " + problem + " (used in a " + signal + " pipeline)");
    }
    return p.compile(path);
  }
}
