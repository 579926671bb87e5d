package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Text conditions on a log body, in CloudWatch filter-pattern spirit: every {@code all} term or
 * phrase must occur, at least one {@code any} (when there are any), no {@code none}.
 *
 * <p>A term or phrase occurs when its characters appear in the text and do not cut a word in two:
 * a needle that starts (ends) with a letter, digit or underscore must not be preceded (followed) by
 * one. So {@code dice} does not occur in {@code rolldice}, but {@code rolldice} occurs in
 * {@code "/rolldice"} and {@code 1-655415c5-f8ce3ffe767daf7d6ef94d72} in {@code trace_id=1-655…@ed47…}.
 * That is what a token index (the embedded engine's) can answer exactly, so the in-memory scan
 * and an index agree. Matching ignores case unless {@code caseSensitive}. Immutable.
 */
public record TextQuery(List<String> all, List<String> any, List<String> none, boolean caseSensitive) {
  public static final TextQuery EMPTY = new TextQuery(List.of(), List.of(), List.of(), false);

  public TextQuery {
    all = checked("all", all);
    any = checked("any", any);
    none = checked("none", none);
  }

  private static List<String> checked(String what, List<String> needles) {
    for (String n : needles) {
      requireNonNull(n, what);
      if (n.isBlank()) {
        throw new IllegalArgumentException(what + ": blank term (expected: at least one visible character)");
      }
    }
    return List.copyOf(needles);
  }

  public boolean isEmpty() {
    return all.isEmpty() && any.isEmpty() && none.isEmpty();
  }

  /**
   * Parses {@code word "a quoted phrase" -excluded ?either ?or}. Unbalanced quotes are an error
   * naming the position.
   */
  public static TextQuery parse(String pattern) {
    requireNonNull(pattern, "pattern");
    List<String> all = new ArrayList<>();
    List<String> any = new ArrayList<>();
    List<String> none = new ArrayList<>();
    int i = 0;
    int n = pattern.length();
    while (i < n) {
      char c = pattern.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      List<String> target = all;
      if ((c == '-' || c == '?') && i + 1 < n && !Character.isWhitespace(pattern.charAt(i + 1))) {
        target = c == '-' ? none : any;
        i++;
      }
      String needle;
      if (pattern.charAt(i) == '"') {
        int close = pattern.indexOf('"', i + 1);
        if (close < 0) {
          throw new IllegalArgumentException("pattern: unclosed quote at " + i + " in '" + pattern + "'");
        }
        needle = pattern.substring(i + 1, close);
        i = close + 1;
      } else {
        int end = i;
        while (end < n && !Character.isWhitespace(pattern.charAt(end))) {
          end++;
        }
        needle = pattern.substring(i, end);
        i = end;
      }
      if (!needle.isBlank()) {
        target.add(needle);
      }
    }
    return new TextQuery(all, any, none, false);
  }

  public boolean matches(String text) {
    requireNonNull(text, "text");
    if (isEmpty()) {
      return true;
    }
    String t = caseSensitive ? text : text.toLowerCase(Locale.ROOT);
    for (String a : all) {
      if (!occurs(t, fold(a))) {
        return false;
      }
    }
    if (!any.isEmpty()) {
      boolean found = false;
      for (String a : any) {
        if (occurs(t, fold(a))) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    for (String a : none) {
      if (occurs(t, fold(a))) {
        return false;
      }
    }
    return true;
  }

  private String fold(String needle) {
    return caseSensitive ? needle : needle.toLowerCase(Locale.ROOT);
  }

  /** Whether {@code needle} occurs in {@code text} without cutting a word; see the class comment. */
  public static boolean occurs(String text, String needle) {
    boolean wordStart = isWord(needle.charAt(0));
    boolean wordEnd = isWord(needle.charAt(needle.length() - 1));
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      int end = at + needle.length();
      boolean startOk = !wordStart || at == 0 || !isWord(text.charAt(at - 1));
      boolean endOk = !wordEnd || end == text.length() || !isWord(text.charAt(end));
      if (startOk && endOk) {
        return true;
      }
    }
    return false;
  }

  private static boolean isWord(char c) {
    return Character.isLetterOrDigit(c) || c == '_';
  }
}
