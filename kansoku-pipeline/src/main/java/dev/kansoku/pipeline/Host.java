package dev.kansoku.pipeline;

import java.util.Optional;

/** What a component may ask of the running service at start. */
public interface Host {
  /** The started extension {@code id}, when it is configured and is a {@code type}. */
  <E> Optional<E> extension(ComponentId id, Class<E> type);
}
