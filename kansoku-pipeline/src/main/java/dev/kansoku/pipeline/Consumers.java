package dev.kansoku.pipeline;

import java.util.Map;
import java.util.Optional;

/** The pipeline entries a receiver feeds, by signal. */
public final class Consumers {
  private final Map<Signal<?>, DataConsumer<?>> bySignal;

  public Consumers(Map<Signal<?>, DataConsumer<?>> bySignal) {
    this.bySignal = Map.copyOf(bySignal);
  }

  /** The consumer for {@code signal}, empty when no pipeline of that signal uses this receiver. */
  @SuppressWarnings("unchecked")
  public <T> Optional<DataConsumer<T>> get(Signal<T> signal) {
    return Optional.ofNullable((DataConsumer<T>) bySignal.get(signal));
  }
}
