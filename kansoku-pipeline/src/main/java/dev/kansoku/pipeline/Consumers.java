package dev.kansoku.pipeline;

import java.util.Map;
import java.util.Optional;

/** The pipeline entries a receiver feeds, by signal, and the admission gate in front of each. */
public final class Consumers {
  private final Map<Signal<?>, DataConsumer<?>> bySignal;
  private final Map<Signal<?>, Admission> admissions;

  public Consumers(Map<Signal<?>, DataConsumer<?>> bySignal) {
    this(bySignal, Map.of());
  }

  public Consumers(Map<Signal<?>, DataConsumer<?>> bySignal, Map<Signal<?>, Admission> admissions) {
    this.bySignal = Map.copyOf(bySignal);
    this.admissions = Map.copyOf(admissions);
  }

  /** The consumer for {@code signal}, empty when no pipeline of that signal uses this receiver. */
  @SuppressWarnings("unchecked")
  public <T> Optional<DataConsumer<T>> get(Signal<T> signal) {
    return Optional.ofNullable((DataConsumer<T>) bySignal.get(signal));
  }

  /**
   * What a receiver asks before it reads a request of {@code signal}: the memory_limiters of the
   * pipelines it feeds; {@link Admission#ALWAYS} when they have none.
   */
  public Admission admission(Signal<?> signal) {
    return admissions.getOrDefault(signal, Admission.ALWAYS);
  }
}
