package dev.kansoku.contrib.ottl;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/**
 * A list of OTTL conditions for one context, compiled once: an item matches when any condition is
 * true, as the filter processor drops an item when any of its conditions holds. Immutable and
 * thread-safe. The subset Kansoku reads raises no evaluation errors (comparisons of unlike types are
 * false, absent attributes are nil), so {@code error_mode} never comes into play.
 */
public final class OttlConditions {
  private final List<Predicate<OttlItem>> conditions;

  private OttlConditions(List<Predicate<OttlItem>> conditions) {
    this.conditions = conditions;
  }

  /**
   * @param path where the list sits, for messages: {@code traces::span}
   * @return null when {@code conditions} is null or empty
   * @throws IllegalArgumentException naming the condition Kansoku cannot read and why
   */
  @Nullable
  public static OttlConditions compile(@Nullable List<String> conditions, OttlContext context, String path) {
    if (conditions == null || conditions.isEmpty()) {
      return null;
    }
    List<Predicate<OttlItem>> out = new ArrayList<>();
    for (int i = 0; i < conditions.size(); i++) {
      String c = conditions.get(i) == null ? "" : conditions.get(i);
      try {
        out.add(OttlParser.parse(c, context));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(path + "::" + i + ": unable to parse OTTL condition \"" + c + "\": "
            + e.getMessage());
      }
    }
    return new OttlConditions(List.copyOf(out));
  }

  public boolean anyMatch(OttlItem item) {
    for (Predicate<OttlItem> c : conditions) {
      if (c.test(item)) {
        return true;
      }
    }
    return false;
  }
}
