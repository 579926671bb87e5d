package dev.kansoku.contrib.filterconfig;

import dev.kansoku.contrib.attraction.GoRegex;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The collector's filterset: strings matched exactly ({@code strict}) or by Go regular expressions
 * that may match anywhere in the string ({@code regexp}). A string matches the set when it matches
 * one item. Immutable and thread-safe; patterns are compiled once.
 */
final class StringSet {
  private final Set<String> exact;
  private final List<GoRegex> patterns;

  private StringSet(Set<String> exact, List<GoRegex> patterns) {
    this.exact = exact;
    this.patterns = patterns;
  }

  /**
   * @param path where the list sits, for messages: {@code include::span_names}
   * @throws IllegalArgumentException naming the item whose pattern does not compile
   */
  static StringSet of(List<String> items, boolean regexp, String path) {
    if (!regexp) {
      return new StringSet(Set.copyOf(items), List.of());
    }
    List<GoRegex> compiled = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (int i = 0; i < items.size(); i++) {
      if (!seen.add(items.get(i))) {
        continue;
      }
      try {
        compiled.add(GoRegex.compile(items.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + "::" + i + ": " + e.getMessage());
      }
    }
    return new StringSet(Set.of(), List.copyOf(compiled));
  }

  boolean matches(String s) {
    if (exact.contains(s)) {
      return true;
    }
    for (GoRegex p : patterns) {
      if (p.find(s)) {
        return true;
      }
    }
    return false;
  }
}
