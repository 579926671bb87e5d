package dev.kansoku.awsapi.logs;

import dev.kansoku.awsapi.logs.InsightsQuery.MalformedQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of a Logs Insights query: identifiers (with {@code @}, {@code _}, {@code .}, {@code $}),
 * backquoted identifiers, quoted strings, {@code /regex/} where a regex may stand, numbers and periods
 * ({@code 5m}), operators and pipes; {@code #} comments run to the end of the line. Each token keeps
 * its character range, so errors can point at it. Stateless.
 */
final class InsightsTokenizer {
  private InsightsTokenizer() {}

  enum Kind { IDENT, QUOTED_IDENT, STRING, REGEX, NUMBER, PERIOD, OP, PIPE, EOF }

  record Tok(Kind kind, String text, int start, int end) {
    boolean is(String word) {
      return (kind == Kind.IDENT && text.equalsIgnoreCase(word)) || (kind == Kind.OP && text.equals(word));
    }
  }

  static List<Tok> tokenize(String s) {
    List<Tok> out = new ArrayList<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '#') {
        while (i < n && s.charAt(i) != '\n') {
          i++;
        }
      } else if (c == '|') {
        out.add(new Tok(Kind.PIPE, "|", i, ++i));
      } else if (c == '"' || c == '\'') {
        StringBuilder b = new StringBuilder();
        int start = i++;
        while (i < n && s.charAt(i) != c) {
          if (s.charAt(i) == '\\' && i + 1 < n) {
            i++;
          }
          b.append(s.charAt(i++));
        }
        if (i >= n) {
          throw new MalformedQuery("unclosed string starting at " + start, start, n);
        }
        out.add(new Tok(Kind.STRING, b.toString(), start, ++i));
      } else if (c == '`') {
        int close = s.indexOf('`', i + 1);
        if (close < 0) {
          throw new MalformedQuery("unclosed ` starting at " + i, i, n);
        }
        out.add(new Tok(Kind.QUOTED_IDENT, s.substring(i + 1, close), i, close + 1));
        i = close + 1;
      } else if (c == '/' && regexAllowed(out)) {
        int start = i++;
        StringBuilder b = new StringBuilder();
        while (i < n && s.charAt(i) != '/') {
          if (s.charAt(i) == '\\' && i + 1 < n && s.charAt(i + 1) == '/') {
            i++;
          }
          b.append(s.charAt(i++));
        }
        if (i >= n) {
          throw new MalformedQuery("unclosed regular expression starting at " + start, start, n);
        }
        out.add(new Tok(Kind.REGEX, b.toString(), start, ++i));
      } else if (Character.isDigit(c)) {
        int start = i;
        while (i < n && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
          i++;
        }
        int unit = i;
        while (i < n && Character.isLetter(s.charAt(i))) {
          i++;
        }
        out.add(new Tok(unit == i ? Kind.NUMBER : Kind.PERIOD, s.substring(start, i), start, i));
      } else if (Character.isLetter(c) || c == '@' || c == '_' || c == '$') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(s.charAt(i)) || "@_.$".indexOf(s.charAt(i)) >= 0)) {
          i++;
        }
        out.add(new Tok(Kind.IDENT, s.substring(start, i), start, i));
      } else {
        String op = null;
        for (String o : new String[] {"=~", "!=", "<=", ">=", "=", "<", ">", "(", ")", ",", "[", "]", "+", "-", "*",
            "/", "%", "^"}) {
          if (s.startsWith(o, i)) {
            op = o;
            break;
          }
        }
        if (op == null) {
          throw new MalformedQuery("unexpected character '" + c + "' at " + i, i, i + 1);
        }
        out.add(new Tok(Kind.OP, op, i, i + op.length()));
        i += op.length();
      }
    }
    out.add(new Tok(Kind.EOF, "", n, n));
    return out;
  }

  /** A slash starts a regex after like / =~ and as the pattern of parse; elsewhere it divides. */
  private static boolean regexAllowed(List<Tok> before) {
    if (before.isEmpty()) {
      return false;
    }
    Tok prev = before.get(before.size() - 1);
    if (prev.is("like") || prev.is("=~") || prev.is("[") || prev.is(",") && inBrackets(before)) {
      return true;
    }
    return before.size() >= 2 && before.get(before.size() - 2).is("parse");
  }

  private static boolean inBrackets(List<Tok> before) {
    for (int k = before.size() - 1; k >= 0; k--) {
      if (before.get(k).is("]")) {
        return false;
      }
      if (before.get(k).is("[")) {
        return true;
      }
    }
    return false;
  }
}
