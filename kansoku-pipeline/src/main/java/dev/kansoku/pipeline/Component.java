package dev.kansoku.pipeline;

/**
 * Lifecycle of every receiver, processor, exporter and extension. The service starts downstream
 * parts before upstream ones (receivers last) and shuts down in the reverse direction, so each part
 * drains into a live consumer.
 */
public interface Component {
  /** Acquires resources (ports, threads, files). A failure here stops start-up with its message. */
  default void start(Host host) throws Exception {}

  /**
   * Releases resources after delivering what was accepted. Idempotent, and safe without
   * {@link #start}.
   */
  default void shutdown() {}
}
