package dev.kansoku.pipeline;

import java.util.Optional;

/**
 * Creates components of one type (the configuration key: {@code otlp}, {@code batch}). Factories
 * are registered explicitly in one list; no classpath scanning.
 *
 * @param <C> the typed configuration. Its no-argument state is the default configuration; YAML is
 *     bound onto it field by field (snake_case keys), so every field holds its default until the
 *     file says otherwise.
 */
public interface ComponentFactory<C> {
  String type();

  ComponentKind kind();

  /**
   * This component's stability, for every signal it supports: for a component the collector has, the
   * level of its metadata.yaml in the collector release Kansoku follows. Never {@link
   * Stability#UNDEFINED}.
   */
  Stability stability();

  C createDefaultConfig();

  /**
   * The name this type had before the collector renamed it, still accepted with a warning (as
   * {@code WithDeprecatedTypeAlias}: the {@code otlp_grpc} exporter is also {@code otlp}). Empty for a
   * type never renamed.
   */
  default Optional<String> deprecatedAlias() {
    return Optional.empty();
  }
}
