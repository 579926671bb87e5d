package dev.kansoku.pipeline.exporterhelper;

import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;

/**
 * An exporter whose start, consumers and shutdown are those of its {@link ExporterLifecycle}: the
 * exporter holds the lifecycle and says which it is, and writes nothing else of its lifecycle. An
 * exporter with a check of its own (a signal it does not export, a missing URL) overrides
 * {@link #consumer} and then asks the lifecycle.
 */
public interface LifecycleExporter extends Exporter {
  /** The lifecycle built with this exporter's open, send and close. */
  ExporterLifecycle<?> lifecycle();

  @Override
  default <T> DataConsumer<T> consumer(Signal<T> signal) {
    return lifecycle().consumer(signal);
  }

  @Override
  default void start(Host host) throws Exception {
    lifecycle().start(host);
  }

  @Override
  default void shutdown() {
    lifecycle().shutdown();
  }
}
