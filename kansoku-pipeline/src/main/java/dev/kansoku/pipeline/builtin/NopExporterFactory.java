package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

/** {@code nop}: accepts and discards everything (benchmarks, dry runs). Takes no settings. */
public final class NopExporterFactory implements ExporterFactory<NopExporterFactory.Config> {
  /** No settings. */
  static final class Config {}

  @Override
  public String type() {
    return "nop";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public Config createDefaultConfig() {
    return new Config();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Exporter create(Config config, ComponentContext context) {
    return new Exporter() {
      @Override
      public <T> DataConsumer<T> consumer(Signal<T> signal) {
        return data -> {};
      }
    };
  }
}
