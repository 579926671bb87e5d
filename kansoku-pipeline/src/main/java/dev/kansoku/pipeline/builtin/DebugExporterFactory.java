package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.Set;

public final class DebugExporterFactory implements ExporterFactory<DebugConfig> {
  @Override
  public String type() {
    return "debug";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public DebugConfig createDefaultConfig() {
    return new DebugConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Exporter create(DebugConfig config, ComponentContext context) {
    return new DebugExporter(context.id().toString(), config.verbosity);
  }
}
