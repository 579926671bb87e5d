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

    public ComponentRegistry build() {
      return new ComponentRegistry(this);
    }
  }
}
