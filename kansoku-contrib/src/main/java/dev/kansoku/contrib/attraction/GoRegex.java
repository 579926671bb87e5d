package dev.kansoku.contrib.attraction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regular expression written in Go's syntax (RE2, what the collector compiles), run by
 * {@link java.util.regex}. The common syntax means the same in both; where they differ the pattern is
 * rewritten ({@code (?P<name>…)} groups, octal escapes, POSIX classes, a literal {@code [} or
 * {@code &} in a class, {@code $} as end of text) and what Go refuses is refused (look-around,
 * back-references, possessive quantifiers), so a pattern valid here is valid for ADOT and the reverse.
 * Not offered: the {@code U} (ungreedy) flag.
 */
public final class GoRegex {
  private static final Map<String, String> POSIX = Map.ofEntries(Map.entry("alnum", "Alnum"),
      Map.entry("alpha", "Alpha"), Map.entry("ascii", "ASCII"), Map.entry("blank", "Blank"),
      Map.entry("cntrl", "Cntrl"), Map.entry("digit", "Digit"), Map.entry("graph", "Graph"),
      Map.entry("lower", "Lower"), Map.entry("print", "Print"), Map.entry("punct", "Punct"),
      Map.entry("space", "Space"), Map.entry("upper", "Upper"), Map.entry("word", "Alnum_"),
      Map.entry("xdigit", "XDigit"));
  private static final int MAX_REPEAT = 1000;

  private final Pattern pattern;
  private final List<String> groupNames;

  private GoRegex(Pattern pattern, List<String> groupNames) {
    this.pattern = pattern;
    this.groupNames = groupNames;
  }

  /**
   * Compiles {@code goPattern}.
   *
   * @throws IllegalArgumentException naming the problem, as {@code error parsing regexp: …}
   */
  public static GoRegex compile(String goPattern) {
    Translator t = new Translator(goPattern);
    String java = t.translate();
    try {
      return new GoRegex(Pattern.compile(java, Pattern.UNIX_LINES | Pattern.UNICODE_CASE),
          List.copyOf(t.names));
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("error parsing regexp: " + e.getDescription() + ": `" + goPattern + "`");
    }
  }

  /** True when the pattern matches somewhere in {@code s} (Go's {@code MatchString}: not anchored). */
  public boolean find(String s) {
    return pattern.matcher(s).find();
  }

  public Pattern pattern() {
    return pattern;
  }

  /** Go's {@code SubexpNames()}: "" for the whole match, then each capturing group's name ("" when unnamed). */
  public List<String> groupNames() {
    return groupNames;
  }

  /** One pass over a Go pattern, writing its java.util.regex form. */
  private static final class Translator {
    private final String in;
    private final StringBuilder out = new StringBuilder();
    private final List<String> names = new ArrayList<>(List.of(""));
    /** Where a {@code $} was written; each becomes {@code \z} unless some flag group turns on (?m). */
    private final List<Integer> dollars = new ArrayList<>();
    private boolean multiline;
    private int i;

    Translator(String in) {
      this.in = in;
    }

    String translate() {
      while (i < in.length()) {
        char c = in.charAt(i);
        switch (c) {
          case '\\' -> escape(false);
          case '[' -> charClass();
          case '(' -> group();
          case '{' -> repeatOrLiteral();
          case '*', '+', '?' -> {
            out.append(c);
            i++;
            afterRepeat(String.valueOf(c));
          }
          case '$' -> {
            dollars.add(out.length());
            out.append('$');
            i++;
          }
          default -> {
            out.append(c);
            i++;
          }
        }
      }
      if (!multiline) {
        for (int k = dollars.size() - 1; k >= 0; k--) {
          out.replace(dollars.get(k), dollars.get(k) + 1, "\\z");
        }
      }
      return out.toString();
    }

    private IllegalArgumentException error(String what) {
      return new IllegalArgumentException("error parsing regexp: " + what + ": `" + in + "`");
    }

    /** A lazy {@code ?} may follow a repetition; another repetition may not (Go: nested repetition). */
    private void afterRepeat(String op) {
      if (i < in.length() && in.charAt(i) == '?') {
        out.append('?');
        i++;
        op += "?";
      }
      if (i < in.length() && ("*+?".indexOf(in.charAt(i)) >= 0 || in.charAt(i) == '{' && repeatEnd(i) > 0)) {
        throw error("invalid nested repetition operator: `" + op + in.charAt(i) + "`");
      }
    }

    /** The index after a well-formed {@code {n}}, {@code {n,}} or {@code {n,m}} at {@code at}, or -1. */
    private int repeatEnd(int at) {
      int j = at + 1;
      int digits = j;
      while (j < in.length() && Character.isDigit(in.charAt(j)) && in.charAt(j) < 0x80) {
        j++;
      }
      if (j == digits || j >= in.length()) {
        return -1;
      }
      if (in.charAt(j) == ',') {
        j++;
        while (j < in.length() && Character.isDigit(in.charAt(j)) && in.charAt(j) < 0x80) {
          j++;
        }
      }
      return j < in.length() && in.charAt(j) == '}' ? j + 1 : -1;
    }

    private void repeatOrLiteral() {
      int end = repeatEnd(i);
      if (end < 0) {
        out.append("\\{"); // Go reads a brace that starts no repetition as itself
        i++;
        return;
      }
      String body = in.substring(i + 1, end - 1);
      String[] parts = body.split(",", -1);
      int min = parseCount(parts[0], body);
      int max = parts.length == 1 ? min : parts[1].isEmpty() ? -1 : parseCount(parts[1], body);
      if (max >= 0 && max < min) {
        throw error("invalid repeat count: `{" + body + "}`");
      }
      out.append(in, i, end);
      i = end;
      afterRepeat("{" + body + "}");
    }

    private int parseCount(String digits, String body) {
      if (digits.length() > 4 || Integer.parseInt(digits) > MAX_REPEAT) {
        throw error("invalid repeat count: `{" + body + "}`");
      }
      return Integer.parseInt(digits);
    }

    private void group() {
      if (!in.startsWith("(?", i)) {
        names.add("");
        out.append('(');
        i++;
        return;
      }
      int nameStart = in.startsWith("(?P<", i) ? i + 4
          : in.startsWith("(?<", i) && !in.startsWith("(?<=", i) && !in.startsWith("(?<!", i) ? i + 3 : -1;
      if (nameStart > 0) {
        int close = in.indexOf('>', nameStart);
        String name = close < 0 ? "" : in.substring(nameStart, close);
        if (close < 0 || !name.matches("[A-Za-z0-9_]+")) {
          throw error("invalid named capture: `" + in.substring(i, close < 0 ? in.length() : close + 1) + "`");
        }
        names.add(name);
        out.append('('); // numbered like Go; Java's group names allow no underscores
        i = close + 1;
        return;
      }
      int j = i + 2;
      boolean negated = false;
      while (j < in.length() && "imsU-".indexOf(in.charAt(j)) >= 0) {
        char f = in.charAt(j);
        if (f == 'U') {
          throw error("flag U (ungreedy) is not supported by Kansoku; use lazy repetitions such as *? instead");
        }
        if (f == '-') {
          negated = true;
        } else if (f == 'm' && !negated) {
          multiline = true;
        }
        j++;
      }
      if (j >= in.length() || (in.charAt(j) != ')' && in.charAt(j) != ':') || in.charAt(j - 1) == '-') {
        throw error("invalid or unsupported Perl syntax: `" + in.substring(i, Math.min(in.length(), j + 1)) + "`");
      }
      out.append(in, i, j + 1);
      i = j + 1;
    }

    private void charClass() {
      out.append('[');
      i++;
      if (i < in.length() && in.charAt(i) == '^') {
        out.append('^');
        i++;
      }
      if (i < in.length() && in.charAt(i) == ']') {
        out.append("\\]"); // a ] first in a Go class is itself
        i++;
      }
      while (i < in.length()) {
        char c = in.charAt(i);
        if (c == ']') {
          out.append(']');
          i++;
          return;
        }
        if (c == '\\') {
          escape(true);
        } else if (c == '[' && in.startsWith("[:", i) && in.indexOf(":]", i + 2) > 0) {
          posixClass();
        } else if (c == '[' || c == '&') {
          out.append('\\').append(c); // Java reads these as a nested class or an intersection
          i++;
        } else {
          out.append(c);
          i++;
        }
      }
      throw error("missing closing ]: `" + in.substring(in.lastIndexOf('[')) + "`");
    }

    private void posixClass() {
      int end = in.indexOf(":]", i + 2);
      String name = in.substring(i + 2, end);
      boolean negated = name.startsWith("^");
      String java = POSIX.get(negated ? name.substring(1) : name);
      if (java == null) {
        throw error("invalid character class range: `" + in.substring(i, end + 2) + "`");
      }
      if (java.equals("Alnum_")) {
        out.append(negated ? "\\W" : "\\w");
      } else {
        out.append(negated ? "\\P{" : "\\p{").append(java).append('}');
      }
      i = end + 2;
    }

    private void escape(boolean inClass) {
      if (i + 1 >= in.length()) {
        throw error("trailing backslash at end of expression");
      }
      char c = in.charAt(i + 1);
      if (c >= '0' && c <= '7' && (c == '0' || i + 2 < in.length() && in.charAt(i + 2) >= '0'
          && in.charAt(i + 2) <= '7')) {
        int j = i + 1;
        while (j < in.length() && j < i + 4 && in.charAt(j) >= '0' && in.charAt(j) <= '7') {
          j++;
        }
        out.append("\\x{").append(Integer.toHexString(Integer.parseInt(in.substring(i + 1, j), 8))).append('}');
        i = j;
        return;
      }
      switch (c) {
        case 'a', 'f', 't', 'n', 'r', 'd', 'D', 's', 'S', 'w', 'W' -> copy(2);
        case 'v' -> {
          out.append("\\x{b}"); // Java's \v is a class of vertical white space
          i += 2;
        }
        case 'x' -> {
          int end = i + 2 < in.length() && in.charAt(i + 2) == '{' ? in.indexOf('}', i) + 1 : i + 4;
          if (end <= 0 || end > in.length()) {
            throw error("invalid escape sequence: `" + in.substring(i) + "`");
          }
          copy(end - i);
        }
        case 'p', 'P' -> unicodeClass(c);
        case 'b', 'B', 'A', 'z' -> {
          if (inClass) {
            throw error("invalid escape sequence: `\\" + c + "`");
          }
          copy(2);
        }
        case 'Q' -> {
          if (inClass) {
            throw error("invalid escape sequence: `\\Q`");
          }
          int end = in.indexOf("\\E", i + 2);
          copy(end < 0 ? in.length() - i : end + 2 - i);
        }
        case 'C' -> {
          out.append(inClass ? "\\x{0}-\\x{10ffff}" : "(?s:.)");
          i += 2;
        }
        default -> {
          if (c < 0x80 && !Character.isLetterOrDigit(c) && c != '_') {
            copy(2);
          } else {
            throw error("invalid escape sequence: `\\" + c + "`");
          }
        }
      }
    }

    /** {@code \pL}, {@code \p{Greek}}, {@code \p{^Greek}}: Java wants "Is" before script names. */
    private void unicodeClass(char p) {
      String name;
      int end;
      if (i + 2 < in.length() && in.charAt(i + 2) == '{') {
        int close = in.indexOf('}', i + 3);
        if (close < 0) {
          throw error("invalid character class range: `" + in.substring(i) + "`");
        }
        name = in.substring(i + 3, close);
        end = close + 1;
      } else if (i + 2 < in.length()) {
        name = String.valueOf(in.charAt(i + 2));
        end = i + 3;
      } else {
        throw error("invalid character class range: `" + in.substring(i) + "`");
      }
      boolean negated = name.startsWith("^");
      if (negated) {
        name = name.substring(1);
      }
      char sign = negated == (p == 'p') ? 'P' : 'p';
      out.append('\\').append(sign).append('{').append(name.length() <= 2 ? name : "Is" + name).append('}');
      i = end;
    }

    private void copy(int n) {
      out.append(in, i, i + n);
      i += n;
    }
  }
}
