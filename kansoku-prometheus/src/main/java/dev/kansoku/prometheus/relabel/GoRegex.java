package dev.kansoku.prometheus.relabel;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A Go (RE2) regular expression run by java.util.regex, anchored at both ends as Prometheus anchors relabel
 * regexes ({@code ^(?s:re)$}), with Go's template expansion ({@code $1}, {@code ${1}}, {@code $name},
 * {@code $$}). The syntax is translated where the two differ ({@code (?P<name>}, POSIX classes, a literal
 * {@code {}) and what RE2 refuses (back-references, look-around, possessive and atomic groups) is refused, so a
 * config Prometheus rejects is rejected here too.
 */
public final class GoRegex {
  private static final Map<String, String> POSIX = Map.ofEntries(
      Map.entry("alnum", "\\p{Alnum}"), Map.entry("alpha", "\\p{Alpha}"), Map.entry("ascii", "\\p{ASCII}"),
      Map.entry("blank", "\\p{Blank}"), Map.entry("cntrl", "\\p{Cntrl}"), Map.entry("digit", "\\p{Digit}"),
      Map.entry("graph", "\\p{Graph}"), Map.entry("lower", "\\p{Lower}"), Map.entry("print", "\\p{Print}"),
      Map.entry("punct", "\\p{Punct}"), Map.entry("space", "\\s"), Map.entry("upper", "\\p{Upper}"),
      Map.entry("word", "\\w"), Map.entry("xdigit", "\\p{XDigit}"));
  private static final Pattern REPEAT = Pattern.compile("\\{\\d+(,\\d*)?}");

  private final String source;
  private final Pattern pattern;
  /** Go group names to group numbers (Java's names cannot hold '_', so groups are addressed by number). */
  private final Map<String, Integer> names;
  private final int groups;

  private GoRegex(String source, Pattern pattern, Map<String, Integer> names, int groups) {
    this.source = source;
    this.pattern = pattern;
    this.names = names;
    this.groups = groups;
  }

  /** @throws IllegalArgumentException "error parsing regexp: ..." naming the problem, as Prometheus's message */
  public static GoRegex compile(String re) {
    Map<String, Integer> names = new HashMap<>();
    int[] groupCount = {0};
    String java = translate(re, names, groupCount);
    try {
      return new GoRegex(re, Pattern.compile("(?s:" + java + ")"), Map.copyOf(names), groupCount[0]);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("error parsing regexp: " + e.getDescription() + " in `" + re + "`");
    }
  }

  public String source() {
    return source;
  }

  /** The whole of {@code s} matches. */
  public boolean matches(String s) {
    return pattern.matcher(s).matches();
  }

  /** The matcher after a whole-string match, or null. */
  public Matcher match(String s) {
    Matcher m = pattern.matcher(s);
    return m.matches() ? m : null;
  }

  /** Go's {@code Regexp.ExpandString}: {@code template} with group references replaced from {@code m}. */
  public String expand(String template, Matcher m) {
    if (template.indexOf('$') < 0) {
      return template;
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    int n = template.length();
    while (i < n) {
      char c = template.charAt(i);
      if (c != '$') {
        out.append(c);
        i++;
        continue;
      }
      if (i + 1 < n && template.charAt(i + 1) == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      int start = i + 1;
      boolean brace = start < n && template.charAt(start) == '{';
      int j = brace ? start + 1 : start;
      int nameStart = j;
      while (j < n && (Character.isLetterOrDigit(template.charAt(j)) || template.charAt(j) == '_')) {
        j++;
      }
      String name = template.substring(nameStart, j);
      if (name.isEmpty() || (brace && (j >= n || template.charAt(j) != '}'))) {
        out.append('$'); // malformed: Go keeps the '$' as text
        i++;
        continue;
      }
      i = brace ? j + 1 : j;
      int group = groupNumber(name);
      if (group >= 0 && group <= groups && m.group(group) != null) {
        out.append(m.group(group));
      }
    }
    return out.toString();
  }

  private int groupNumber(String name) {
    boolean digits = name.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    if (digits) {
      return name.length() > 8 ? -1 : Integer.parseInt(name);
    }
    return names.getOrDefault(name, -1);
  }

  private static String translate(String re, Map<String, Integer> names, int[] groups) {
    StringBuilder out = new StringBuilder(re.length() + 8);
    int i = 0;
    int n = re.length();
    boolean inClass = false;
    while (i < n) {
      char c = re.charAt(i);
      if (c == '\\') {
        if (i + 1 >= n) {
          throw refuse(re, "trailing backslash at end of expression");
        }
        char e = re.charAt(i + 1);
        if (e >= '1' && e <= '9') {
          throw refuse(re, "invalid escape sequence: `\\" + e + "` (RE2 has no back-references)");
        }
        if (e == 'Q') {
          int end = re.indexOf("\\E", i + 2);
          String literal = end < 0 ? re.substring(i + 2) : re.substring(i + 2, end);
          out.append(Pattern.quote(literal));
          i = end < 0 ? n : end + 2;
          continue;
        }
        out.append(c).append(e);
        i += 2;
        continue;
      }
      if (inClass) {
        if (c == '[' && re.startsWith("[:", i)) {
          int end = re.indexOf(":]", i + 2);
          if (end > 0) {
            String name = re.substring(i + 2, end);
            boolean negated = name.startsWith("^");
            String cls = POSIX.get(negated ? name.substring(1) : name);
            if (cls == null) {
              throw refuse(re, "invalid character class range: `[:" + name + ":]`");
            }
            out.append(negated ? negate(cls) : cls);
            i = end + 2;
            continue;
          }
        }
        if (c == ']') {
          inClass = false;
        } else if (c == '[' || c == '&') {
          out.append('\\'); // literal in RE2; nesting and intersection in Java
        }
        out.append(c);
        i++;
        continue;
      }
      switch (c) {
        case '[' -> {
          inClass = true;
          out.append(c);
          i++;
          if (i < n && re.charAt(i) == '^') {
            out.append('^');
            i++;
          }
          if (i < n && re.charAt(i) == ']') {
            out.append("\\]"); // a leading ']' is literal in RE2
            i++;
          }
        }
        case '(' -> i = group(re, i, out, names, groups);
        case '{' -> {
          java.util.regex.Matcher rep = REPEAT.matcher(re).region(i, n);
          if (rep.lookingAt() && i > 0) {
            out.append(rep.group());
            i = rep.end();
            if (i < n && re.charAt(i) == '+') {
              throw refuse(re, "invalid nested repetition operator: `" + rep.group() + "+`");
            }
          } else {
            out.append("\\{");
            i++;
          }
        }
        case '*', '+', '?' -> {
          out.append(c);
          i++;
          if (i < n && re.charAt(i) == '+') {
            throw refuse(re, "invalid nested repetition operator: `" + c + "+`");
          }
        }
        default -> {
          out.append(c);
          i++;
        }
      }
    }
    return out.toString();
  }

  private static int group(String re, int i, StringBuilder out, Map<String, Integer> names, int[] groups) {
    if (!re.startsWith("(?", i)) {
      groups[0]++;
      out.append('(');
      return i + 1;
    }
    int nameAt = re.startsWith("(?P<", i) ? i + 4 : re.startsWith("(?<", i) && !re.startsWith("(?<=", i)
        && !re.startsWith("(?<!", i) ? i + 3 : -1;
    if (nameAt > 0) {
      int end = re.indexOf('>', nameAt);
      String name = end < 0 ? "" : re.substring(nameAt, end);
      if (name.isEmpty() || !name.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '_')) {
        throw refuse(re, "invalid named capture: `" + re.substring(i, end < 0 ? re.length() : end + 1) + "`");
      }
      groups[0]++;
      if (names.putIfAbsent(name, groups[0]) != null) {
        throw refuse(re, "duplicate capture group name: `" + name + "`");
      }
      out.append('(');
      return end + 1;
    }
    for (String bad : new String[] {"(?=", "(?!", "(?<=", "(?<!", "(?>"}) {
      if (re.startsWith(bad, i)) {
        throw refuse(re, "invalid or unsupported Perl syntax: `" + bad + "`");
      }
    }
    int j = i + 2;
    while (j < re.length() && "imsU-".indexOf(re.charAt(j)) >= 0) {
      if (re.charAt(j) == 'U') {
        throw refuse(re, "the (?U) flag (ungreedy) is not supported by Kansoku");
      }
      j++;
    }
    if (j >= re.length() || (re.charAt(j) != ':' && re.charAt(j) != ')')) {
      throw refuse(re, "invalid or unsupported Perl syntax: `" + re.substring(i, Math.min(re.length(), j + 1)) + "`");
    }
    out.append(re, i, j + 1);
    return j + 1;
  }

  private static String negate(String cls) {
    if (cls.startsWith("\\p")) {
      return "\\P" + cls.substring(2);
    }
    return cls.equals("\\s") ? "\\S" : "\\W";
  }

  private static IllegalArgumentException refuse(String re, String why) {
    return new IllegalArgumentException("error parsing regexp: " + why + " in `" + re + "`");
  }

  @Override
  public String toString() {
    return source;
  }
}
