package dev.kansoku.store;

/** Derives the service graph of a time window. Thread-safe. */
public interface ServiceGraphReader {
  /**
   * The graph of spans that started in [{@code startNanos}, {@code endNanos}), as
   * {@link ServiceGraphBuilder} derives it from their traces.
   *
   * @throws IllegalArgumentException when end is before start
   */
  ServiceGraph graph(long startNanos, long endNanos);
}
