package dev.kansoku.pipeline;

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

  C createDefaultConfig();
}
