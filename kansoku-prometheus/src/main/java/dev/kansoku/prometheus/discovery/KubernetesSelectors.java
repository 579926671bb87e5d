package dev.kansoku.prometheus.discovery;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes label and field selectors as the API server reads them, checked at config time so a typo fails
 * validation instead of every list call.
 */
final class KubernetesSelectors {
  private static final String NAME = "[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?";
  private static final String KEY = "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?" + NAME;
  private static final String VALUE = "(" + NAME + ")?";
  private static final Pattern EXISTS = Pattern.compile("\\s*!?\\s*" + KEY + "\\s*");
  private static final Pattern EQUALS = Pattern.compile("\\s*" + KEY + "\\s*(=|==|!=)\\s*" + VALUE + "\\s*");
  private static final Pattern SET = Pattern.compile(
      "\\s*" + KEY + "\\s+(in|notin)\\s*\\(\\s*" + VALUE + "(\\s*,\\s*" + VALUE + ")*\\s*\\)\\s*");
  private static final Pattern COMPARE = Pattern.compile("\\s*" + KEY + "\\s*[<>]\\s*-?[0-9]+\\s*");

  /** One term of a field selector: {@code key=value} or, when {@code negated}, {@code key!=value}. */
  record FieldTerm(String key, String value, boolean negated) {}

  private KubernetesSelectors() {}

  /** Refuses a label selector the API server would refuse ({@code app=web,tier in (a,b),!canary}). */
  static void checkLabelSelector(String path, String selector) {
    if (selector == null || selector.isBlank()) {
      return;
    }
    for (String requirement : splitOutsideParentheses(selector)) {
      if (!EXISTS.matcher(requirement).matches() && !EQUALS.matcher(requirement).matches()
          && !SET.matcher(requirement).matches() && !COMPARE.matcher(requirement).matches()) {
        throw new IllegalArgumentException(path + ": invalid label selector \"" + selector + "\": cannot read \""
            + requirement.strip() + "\"");
      }
    }
  }

  /** Reads a field selector ({@code metadata.name=web,spec.nodeName!=n1}); backslash escapes , = and !. */
  static List<FieldTerm> parseFieldSelector(String path, String selector) {
    List<FieldTerm> terms = new ArrayList<>();
    if (selector == null || selector.isBlank()) {
      return terms;
    }
    for (String term : splitUnescaped(selector)) {
      int at = operator(term);
      if (at < 0) {
        throw new IllegalArgumentException(path + ": invalid selector: '" + selector + "'; can't understand '"
            + term + "'");
      }
      boolean negated = term.startsWith("!=", at);
      int valueStart = at + (negated || term.startsWith("==", at) ? 2 : 1);
      terms.add(new FieldTerm(unescape(term.substring(0, at)), unescape(term.substring(valueStart)), negated));
    }
    return terms;
  }

  private static List<String> splitOutsideParentheses(String selector) {
    List<String> parts = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      } else if (c == ',' && depth == 0) {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    return parts;
  }

  private static List<String> splitUnescaped(String selector) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < selector.length(); i++) {
      char c = selector.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == ',') {
        parts.add(selector.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(selector.substring(start));
    return parts;
  }

  /** The index of the first unescaped {@code =}, {@code ==} or {@code !=}, or -1. */
  private static int operator(String term) {
    for (int i = 0; i < term.length(); i++) {
      char c = term.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '=' || c == '!' && term.startsWith("!=", i)) {
        return i;
      }
    }
    return -1;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        c = s.charAt(++i);
      }
      out.append(c);
    }
    return out.toString();
  }
}
