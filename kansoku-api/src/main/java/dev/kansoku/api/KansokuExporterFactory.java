package dev.kansoku.api;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import java.util.Set;

/** {@code kansoku}: writes traces, metrics and logs into the store of a {@code kansoku} extension. */
public final class KansokuExporterFactory implements ExporterFactory<KansokuExporterFactory.Config> {
  /** Settings of the kansoku exporter. */
  static final class Config {
    /** The id of the kansoku extension that owns the store. Example: kansoku. */
    String extension = "kansoku";
  }

  @Override
  public String type() {
    return "kansoku";
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
    return new KansokuExporter(context.id().toString(), config.extension);
  }
}
