package dev.kansoku.pipeline;

import java.util.List;
import java.util.Optional;

/** What a component may ask of the running service at start. */
public interface Host {
  /** The started extension {@code id}, when it is configured and is a {@code type}. */
  <E> Optional<E> extension(ComponentId id, Class<E> type);

  /** The started extensions that are a {@code type}, in configuration order; for services found by kind. */
  default <E> List<E> extensions(Class<E> type) {
    return List.of();
  }
}
