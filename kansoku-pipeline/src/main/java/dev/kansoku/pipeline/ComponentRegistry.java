package dev.kansoku.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The factories a build of Kansoku offers, by kind and type, and the types it knows of but does
 * not offer yet: naming one of those is an error that says so, never silently ignored.
 */
public final class ComponentRegistry {
  private final Map<ComponentKind, Map<String, ComponentFactory<?>>> factories = new EnumMap<>(ComponentKind.class);
  private final Map<ComponentKind, Map<String, String>> planned = new EnumMap<>(ComponentKind.class);

  private ComponentRegistry(Builder b) {
    for (ComponentKind kind : ComponentKind.values()) {
      factories.put(kind, Map.copyOf(b.factories.get(kind)));
      planned.put(kind, Map.copyOf(b.planned.get(kind)));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Optional<ComponentFactory<?>> factory(ComponentKind kind, String type) {
    return Optional.ofNullable(factories.get(kind).get(type));
  }

  /** Why {@code type} is not available yet, when it is a known, planned type. */
  public Optional<String> planned(ComponentKind kind, String type) {
    return Optional.ofNullable(planned.get(kind).get(type));
  }

  /** The types of {@code kind} this build offers, sorted. */
  public List<String> types(ComponentKind kind) {
    return factories.get(kind).keySet().stream().sorted().toList();
  }

  public static final class Builder {
    private final Map<ComponentKind, Map<String, ComponentFactory<?>>> factories = new EnumMap<>(ComponentKind.class);
    private final Map<ComponentKind, Map<String, String>> planned = new EnumMap<>(ComponentKind.class);

    private Builder() {
      for (ComponentKind kind : ComponentKind.values()) {
        factories.put(kind, new LinkedHashMap<>());
        planned.put(kind, new LinkedHashMap<>());
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

    /** Declares {@code type} as known but not available; {@code why} completes the error message. */
    public Builder planned(ComponentKind kind, String type, String why) {
      planned.get(kind).put(type, why);
      return this;
    }

    public ComponentRegistry build() {
      List<String> clash = new ArrayList<>();
      for (ComponentKind kind : ComponentKind.values()) {
        planned.get(kind).keySet().stream().filter(factories.get(kind)::containsKey).forEach(clash::add);
      }
      if (!clash.isEmpty()) {
        throw new IllegalStateException("types both available and planned: " + clash);
      }
      return new ComponentRegistry(this);
    }
  }
}
