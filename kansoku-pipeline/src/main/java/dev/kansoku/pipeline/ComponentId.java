package dev.kansoku.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * A component instance's id as the configuration writes it: {@code type[/name]}, e.g. {@code otlp}
 * or {@code otlp/2}. The type selects the factory; the name tells instances of one factory apart.
 * Pipeline ids have the same form with the signal as type ({@code traces/2}).
 */
public record ComponentId(String type, String name) {
  public ComponentId {
    requireNonNull(type, "type");
    requireNonNull(name, "name");
  }

  /** Parses {@code type[/name]}; the message names what is wrong with a malformed id. */
  public static ComponentId parse(String id) {
    requireNonNull(id, "id");
    String s = id.trim();
    int slash = s.indexOf('/');
    String type = slash < 0 ? s : s.substring(0, slash);
    String name = slash < 0 ? "" : s.substring(slash + 1);
    if (type.isEmpty()) {
      throw new IllegalArgumentException("id \"" + id + "\" has an empty type (expected: type[/name])");
    }
    if (!type.matches("[A-Za-z][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "id \"" + id + "\": type \"" + type + "\" has invalid characters (expected: letters, digits and _)");
    }
    if (slash >= 0 && name.isEmpty()) {
      throw new IllegalArgumentException("id \"" + id + "\" has an empty name after \"/\" (expected: type[/name])");
    }
    if (name.contains("/") || name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("id \"" + id + "\": name \"" + name + "\" may not contain \"/\" or spaces");
    }
    return new ComponentId(type, name);
  }

  @Override
  public String toString() {
    return name.isEmpty() ? type : type + "/" + name;
  }
}
