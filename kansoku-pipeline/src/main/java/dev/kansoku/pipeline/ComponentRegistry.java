package dev.kansoku.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The factories a build of Kansoku offers, by kind and type. A factory is found by its type and by
 * its {@link ComponentFactory#deprecatedAlias() deprecated alias}.
 */
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

  /** The factory of {@code type}, which may be a deprecated alias. */
  public Optional<ComponentFactory<?>> factory(ComponentKind kind, String type) {
    return Optional.ofNullable(factories.get(kind).get(type));
  }

  /** Every name of {@code kind} a configuration may use, deprecated aliases included, sorted. */
  public List<String> types(ComponentKind kind) {
    return factories.get(kind).keySet().stream().sorted().toList();
  }

  /** Each factory of {@code kind} once, sorted by type (aliases are not listed, as by the collector). */
  public List<ComponentFactory<?>> factories(ComponentKind kind) {
    return factories.get(kind).entrySet().stream()
        .filter(e -> e.getKey().equals(e.getValue().type()))
        .map(Map.Entry::getValue)
        .sorted(Comparator.comparing(ComponentFactory::type))
        .toList();
  }

  public static final class Builder {
    private final Map<ComponentKind, Map<String, ComponentFactory<?>>> factories = new EnumMap<>(ComponentKind.class);

    private Builder() {
      for (ComponentKind kind : ComponentKind.values()) {
        factories.put(kind, new LinkedHashMap<>());
      }
    }

    /** Adds {@code factory} under its type and its deprecated alias, if any. */
    public Builder add(ComponentFactory<?> factory) {
      requireNonNull(factory, "factory");
      put(factory.type(), factory, "");
      factory.deprecatedAlias().ifPresent(alias -> put(alias, factory, " (alias of \"" + factory.type() + "\")"));
      return this;
    }

    private void put(String name, ComponentFactory<?> factory, String note) {
      if (factories.get(factory.kind()).putIfAbsent(name, factory) != null) {
        throw new IllegalArgumentException(
            "two " + factory.kind().singular() + " factories for type \"" + name + "\"" + note);
      }
    }

    public ComponentRegistry build() {
      return new ComponentRegistry(this);
    }
  }
}
