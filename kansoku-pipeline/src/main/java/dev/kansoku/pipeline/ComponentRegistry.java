package dev.kansoku.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The factories a build of Kansoku offers, by kind and type. */
public final class ComponentRegistry {
  private final Map<ComponentKind, Map<String, ComponentFactory<?>>> factories = new EnumMap<>(ComponentKind.class);

  private ComponentRegistry(Builder b) {
    for (ComponentKind kind : ComponentKind.values()) {
      factories.put(kind, Map.copyOf(b.factories.get(kind)));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<ComponentFactory<?>> factory(ComponentKind kind, String type) {
    return Optional.ofNullable(factories.get(kind).get(type));
  }

  /** The types of {@code kind} this build offers, sorted. */
  public List<String> types(ComponentKind kind) {
    return factories.get(kind).keySet().stream().sorted().toList();
  }

  public static final class Builder {
    private final Map<ComponentKind, Map<String, ComponentFactory<?>>> factories = new EnumMap<>(ComponentKind.class);

    private Builder() {
      for (ComponentKind kind : ComponentKind.values()) {
        factories.put(kind, new LinkedHashMap<>());
      }
    }

    public Builder add(ComponentFactory<?> factory) {
      requireNonNull(factory, "factory");
      ComponentFactory<?> previous = factories.get(factory.kind()).putIfAbsent(factory.type(), factory);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two " + factory.kind().singular() + " factories for type \"" + factory.type() + "\"");
      }
      return this;
    }

    /**
     * Makes {@code alias} a second name of the {@code kind} factory already added as {@code type}, as
     * the collector keeps a renamed component's old name (e.g. the {@code otlp} exporter is also
     * {@code otlp_grpc} since collector v0.144).
     */
    public Builder alias(ComponentKind kind, String alias, String type) {
      ComponentFactory<?> factory = factories.get(kind).get(type);
      if (factory == null) {
        throw new IllegalArgumentException("no " + kind.singular() + " factory for type \"" + type + "\" to alias");
      }
      if (factories.get(kind).putIfAbsent(alias, factory) != null) {
        throw new IllegalArgumentException("two " + kind.singular() + " factories for type \"" + alias + "\"");
      }
      return this;
    }

    public ComponentRegistry build() {
      return new ComponentRegistry(this);
    }
  }
}
