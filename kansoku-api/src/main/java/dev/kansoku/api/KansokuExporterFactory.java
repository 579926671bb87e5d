package dev.kansoku.api;

import dev.kansoku.model.CumulativeDeltas;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.time.Clock;
import java.util.Set;

/** {@code kansoku}: writes traces, metrics and logs into the store of a {@code kansoku} extension. */
public final class KansokuExporterFactory implements ExporterFactory<KansokuExporterConfig> {
  @Override
  public String type() {
    return "kansoku";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public KansokuExporterConfig createDefaultConfig() {
    return new KansokuExporterConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public Exporter create(KansokuExporterConfig config, ComponentContext context) {
    return new KansokuExporter(context.id().toString(), config.extension,
        new CumulativeDeltas(config.maxCumulativeSeries, config.maxStaleness, Clock.systemUTC()));
  }
}
