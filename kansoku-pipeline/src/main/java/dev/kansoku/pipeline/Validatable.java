package dev.kansoku.pipeline;

/** A configuration that checks itself after binding. */
public interface Validatable {
  /**
   * @throws IllegalArgumentException naming the bad value and the expectation; the configuration
   *     loader prefixes the component's path
   */
  void validate();
}
