package dev.kansoku.awsapi.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.store.TextQuery;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A CloudWatch filter pattern split in two: {@code text}, what the store's {@link TextQuery} answers
 * (terms, "phrases", -exclusions, ?alternatives — so an index can narrow the search), and
 * {@code post}, checked here on each candidate message (%regex%, JSON and space-delimited patterns).
 *
 * <p>Terms follow the store's word-boundary rule ({@code ERROR} does not occur in {@code ERRORS}),
 * which is how CloudWatch matches terms against an event's terms, and are case-sensitive as
 * CloudWatch's are. Immutable.
 */
record FilterPattern(TextQuery text, Predicate<String> post) {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final FilterPattern ALL = new FilterPattern(TextQuery.EMPTY, m -> true);

  /** @throws IllegalArgumentException naming the pattern and what is wrong with it */
  static FilterPattern parse(String pattern) {
    String p = pattern == null ? "" : pattern.strip();
    if (p.isEmpty() || p.equals("\"\"") || p.equals("\" \"")) {
      return ALL;
    }
    if (p.startsWith("{")) {
      if (!p.endsWith("}")) {
        throw new IllegalArgumentException("filterPattern '" + pattern + "': a JSON pattern must end with }");
      }
      Cursor c = new Cursor(p.substring(1, p.length() - 1), pattern);
      Predicate<JsonNode> cond = c.jsonOr();
      c.expectEnd();
      return new FilterPattern(TextQuery.EMPTY, m -> {
        JsonNode n = parseJson(m);
        return n != null && cond.test(n);
      });
    }
    if (p.startsWith("[")) {
      if (!p.endsWith("]")) {
        throw new IllegalArgumentException("filterPattern '" + pattern + "': a space-delimited pattern must end with ]");
      }
      Delimited d = Delimited.parse(p.substring(1, p.length() - 1), pattern);
      return new FilterPattern(TextQuery.EMPTY, d::matches);
    }
    if (p.length() >= 2 && p.startsWith("%") && p.endsWith("%")) {
      Pattern re = regex(p.substring(1, p.length() - 1), pattern);
      return new FilterPattern(TextQuery.EMPTY, m -> re.matcher(m).find());
    }
    TextQuery t = TextQuery.parse(p);
    return new FilterPattern(new TextQuery(t.all(), t.any(), t.none(), true), m -> true);
  }

  static Pattern regex(String re, String pattern) {
    try {
      return Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("filterPattern '" + pattern + "': bad regular expression %" + re + "%: "
          + e.getDescription());
    }
  }

  private static JsonNode parseJson(String m) {
    String s = m.strip();
    if (!s.startsWith("{")) {
      return null;
    }
    try {
      return JSON.readTree(s);
    } catch (Exception e) {
      return null; // CloudWatch: events that are not JSON never match a JSON pattern
    }
  }

  /** A value condition shared by JSON and space-delimited patterns: {@code = != < <= > >=} with a literal. */
  record Comparison(String op, String literal, boolean quoted, Pattern regex) {
    boolean test(String value) {
      if (value == null) {
        return false;
      }
      if (regex != null) {
        boolean found = regex.matcher(value).find();
        return op.equals("!=") ? !found : found;
      }
      BigDecimal lit = quoted ? null : number(literal);
      BigDecimal num = number(value);
      if (lit != null && num != null) {
        int c = num.compareTo(lit);
        return switch (op) {
          case "=" -> c == 0;
          case "!=" -> c != 0;
          case "<" -> c < 0;
          case "<=" -> c <= 0;
          case ">" -> c > 0;
          default -> c >= 0;
        };
      }
      boolean eq = literal.contains("*") ? Pattern.compile(glob(literal), Pattern.DOTALL).matcher(value).matches()
          : literal.equals(value);
      return switch (op) {
        case "=" -> eq;
        case "!=" -> !eq;
        default -> false; // ordering needs numbers on both sides
      };
    }
  }

  static BigDecimal number(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    char c = s.charAt(0);
    if (!(Character.isDigit(c) || c == '-' || c == '+' || c == '.')) {
      return null;
    }
    try {
      return new BigDecimal(s);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  static String glob(String g) {
    StringBuilder b = new StringBuilder();
    for (String part : g.split("\\*", -1)) {
      if (b.length() > 0) {
        b.append(".*");
      }
      b.append(Pattern.quote(part));
    }
    return b.toString();
  }

  /** A small hand-written scanner over the inside of {...} or [...]. */
  private static final class Cursor {
    final String s;
    final String pattern;
    int i;

    Cursor(String s, String pattern) {
      this.s = s;
      this.pattern = pattern;
    }

    IllegalArgumentException error(String what) {
      return new IllegalArgumentException("filterPattern '" + pattern + "': " + what + " at offset " + i);
    }

    void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }

    boolean eat(String tok) {
      skip();
      if (s.startsWith(tok, i)) {
        i += tok.length();
        return true;
      }
      return false;
    }

    boolean eatWord(String word) {
      skip();
      if (s.regionMatches(true, i, word, 0, word.length())
          && (i + word.length() == s.length() || !Character.isLetterOrDigit(s.charAt(i + word.length())))) {
        i += word.length();
        return true;
      }
      return false;
    }

    void expectEnd() {
      skip();
      if (i < s.length()) {
        throw error("unexpected '" + s.substring(i) + "'");
      }
    }

    Predicate<JsonNode> jsonOr() {
      Predicate<JsonNode> left = jsonAnd();
      while (eat("||")) {
        Predicate<JsonNode> l = left;
        Predicate<JsonNode> r = jsonAnd();
        left = n -> l.test(n) || r.test(n);
      }
      return left;
    }

    Predicate<JsonNode> jsonAnd() {
      Predicate<JsonNode> left = jsonAtom();
      while (eat("&&")) {
        Predicate<JsonNode> l = left;
        Predicate<JsonNode> r = jsonAtom();
        left = n -> l.test(n) && r.test(n);
      }
      return left;
    }

    Predicate<JsonNode> jsonAtom() {
      if (eat("(")) {
        Predicate<JsonNode> inner = jsonOr();
        if (!eat(")")) {
          throw error("expected )");
        }
        return inner;
      }
      skip();
      if (!s.startsWith("$", i)) {
        throw error("expected a selector like $.level");
      }
      int start = i;
      while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || "$._-[]".indexOf(s.charAt(i)) >= 0)) {
        i++;
      }
      List<Object> path = selector(s.substring(start, i));
      if (eatWord("IS")) {
        String what = word().toUpperCase();
        return switch (what) {
          case "NULL" -> n -> {
            JsonNode v = resolve(n, path);
            return v != null && v.isNull();
          };
          case "TRUE" -> n -> {
            JsonNode v = resolve(n, path);
            return v != null && v.isBoolean() && v.booleanValue();
          };
          case "FALSE" -> n -> {
            JsonNode v = resolve(n, path);
            return v != null && v.isBoolean() && !v.booleanValue();
          };
          default -> throw error("expected NULL, TRUE or FALSE after IS, got '" + what + "'");
        };
      }
      if (eatWord("NOT")) {
        if (!eatWord("EXISTS")) {
          throw error("expected EXISTS after NOT");
        }
        return n -> resolve(n, path) == null;
      }
      Comparison cmp = comparison();
      return n -> {
        JsonNode v = resolve(n, path);
        if (v == null || v.isContainerNode() || v.isNull()) {
          return false; // selectors pointing at objects or arrays never match
        }
        return cmp.test(v.asText());
      };
    }

    String word() {
      skip();
      int start = i;
      while (i < s.length() && Character.isLetter(s.charAt(i))) {
        i++;
      }
      return s.substring(start, i);
    }

    Comparison comparison() {
      skip();
      String op = null;
      for (String o : new String[] {"!=", "<=", ">=", "=", "<", ">"}) {
        if (s.startsWith(o, i)) {
          op = o;
          i += o.length();
          break;
        }
      }
      if (op == null) {
        throw error("expected one of = != < <= > >=");
      }
      skip();
      if (i >= s.length()) {
        throw error("expected a value after " + op);
      }
      char c = s.charAt(i);
      if (c == '"') {
        int close = s.indexOf('"', i + 1);
        if (close < 0) {
          throw error("unclosed quote");
        }
        String lit = s.substring(i + 1, close);
        i = close + 1;
        return new Comparison(op, lit, true, null);
      }
      if (c == '%') {
        int close = s.indexOf('%', i + 1);
        if (close < 0) {
          throw error("unclosed %regex%");
        }
        String re = s.substring(i + 1, close);
        i = close + 1;
        return new Comparison(op, re, false, regex(re, pattern));
      }
      int start = i;
      while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && s.charAt(i) != ')' && s.charAt(i) != ','
          && !s.startsWith("&&", i) && !s.startsWith("||", i)) {
        i++;
      }
      return new Comparison(op, s.substring(start, i), false, null);
    }

    List<Object> selector(String sel) {
      if (!sel.startsWith("$")) {
        throw error("selector '" + sel + "' must start with $");
      }
      List<Object> path = new ArrayList<>();
      int j = 1;
      while (j < sel.length()) {
        char c = sel.charAt(j);
        if (c == '.') {
          int k = j + 1;
          while (k < sel.length() && sel.charAt(k) != '.' && sel.charAt(k) != '[') {
            k++;
          }
          if (k == j + 1) {
            throw error("empty name in selector '" + sel + "'");
          }
          path.add(sel.substring(j + 1, k));
          j = k;
        } else if (c == '[') {
          int close = sel.indexOf(']', j);
          if (close < 0) {
            throw error("unclosed [ in selector '" + sel + "'");
          }
          try {
            path.add(Integer.parseInt(sel.substring(j + 1, close)));
          } catch (NumberFormatException e) {
            throw error("array index '" + sel.substring(j + 1, close) + "' in selector '" + sel + "'");
          }
          j = close + 1;
        } else {
          throw error("unexpected '" + c + "' in selector '" + sel + "'");
        }
      }
      if (path.isEmpty()) {
        throw error("selector '" + sel + "' names no field");
      }
      return path;
    }
  }

  static JsonNode resolve(JsonNode n, List<Object> path) {
    JsonNode cur = n;
    for (Object step : path) {
      if (cur == null) {
        return null;
      }
      cur = step instanceof Integer idx ? (cur.isArray() ? cur.get(idx) : null) : cur.get((String) step);
    }
    return cur;
  }

  /** {@code [ip, user, ..., status = 5*, bytes > 1000]}. */
  private record Delimited(List<String> names, List<Predicate<Map<String, String>>> conditions) {
    static Delimited parse(String inside, String pattern) {
      Cursor c = new Cursor(inside, pattern);
      List<String> names = new ArrayList<>();
      List<Predicate<Map<String, String>>> conds = new ArrayList<>();
      c.skip();
      if (c.i >= inside.length()) {
        throw c.error("a space-delimited pattern needs at least one field");
      }
      while (true) {
        c.skip();
        if (c.eat("...")) {
          names.add("...");
        } else {
          String name = name(c);
          names.add(name);
          conds.add(fieldCondition(c, name));
        }
        if (!c.eat(",")) {
          break;
        }
      }
      c.expectEnd();
      return new Delimited(names, conds);
    }

    private static String name(Cursor c) {
      c.skip();
      int start = c.i;
      while (c.i < c.s.length() && (Character.isLetterOrDigit(c.s.charAt(c.i)) || c.s.charAt(c.i) == '_'
          || c.s.charAt(c.i) == '-')) {
        c.i++;
      }
      if (start == c.i) {
        throw c.error("expected a field name");
      }
      return c.s.substring(start, c.i);
    }

    /** {@code name [op value {(&&|||) name op value}]}; the other names refer to fields of the same event. */
    private static Predicate<Map<String, String>> fieldCondition(Cursor c, String first) {
      c.skip();
      if (c.i >= c.s.length() || c.s.charAt(c.i) == ',') {
        return f -> true;
      }
      Predicate<Map<String, String>> cond = one(c, first);
      while (true) {
        if (c.eat("&&")) {
          Predicate<Map<String, String>> l = cond;
          Predicate<Map<String, String>> r = one(c, name(c));
          cond = f -> l.test(f) && r.test(f);
        } else if (c.eat("||")) {
          Predicate<Map<String, String>> l = cond;
          Predicate<Map<String, String>> r = one(c, name(c));
          cond = f -> l.test(f) || r.test(f);
        } else {
          return cond;
        }
      }
    }

    private static Predicate<Map<String, String>> one(Cursor c, String name) {
      Comparison cmp = c.comparison();
      return f -> cmp.test(f.get(name));
    }

    boolean matches(String message) {
      List<String> tokens = split(message);
      Map<String, String> bound = new java.util.HashMap<>();
      if (!bind(0, 0, tokens, bound)) {
        return false;
      }
      for (Predicate<Map<String, String>> p : conditions) {
        if (!p.test(bound)) {
          return false;
        }
      }
      return true;
    }

    /** Binds names to tokens; {@code ...} takes any number of tokens (the last binding that fits wins). */
    private boolean bind(int ni, int ti, List<String> tokens, Map<String, String> bound) {
      if (ni == names.size()) {
        return ti == tokens.size();
      }
      String n = names.get(ni);
      if (n.equals("...")) {
        for (int t = tokens.size(); t >= ti; t--) {
          if (bind(ni + 1, t, tokens, bound)) {
            return true;
          }
        }
        return false;
      }
      if (ti >= tokens.size()) {
        return false;
      }
      bound.put(n, tokens.get(ti));
      return bind(ni + 1, ti + 1, tokens, bound);
    }

    /** Splits on blanks; "…" and […] each stay one field, without their quotes or brackets. */
    static List<String> split(String m) {
      List<String> out = new ArrayList<>();
      int i = 0;
      int n = m.length();
      while (i < n) {
        char c = m.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
          continue;
        }
        if (c == '"' || c == '[') {
          int close = m.indexOf(c == '"' ? '"' : ']', i + 1);
          if (close > 0) {
            out.add(m.substring(i + 1, close));
            i = close + 1;
            continue;
          }
        }
        int start = i;
        while (i < n && !Character.isWhitespace(m.charAt(i))) {
          i++;
        }
        out.add(m.substring(start, i));
      }
      return out;
    }
  }
}
