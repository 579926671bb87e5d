package dev.kansoku.contrib.ottl;

import com.google.protobuf.ByteString;
import dev.kansoku.contrib.attraction.GoRegex;
import dev.kansoku.contrib.attraction.GoValues;
import dev.kansoku.contrib.ottl.OttlCompare.Op;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/**
 * Parses one OTTL condition of the subset Kansoku evaluates: comparisons ({@code == != < <= > >=})
 * of paths, string, int, float, bool and nil literals and enum symbols; {@code IsMatch(target,
 * "pattern")}; {@code and}, {@code or}, {@code not} and parentheses, with OTTL's precedence (not,
 * then and, then or). Anything else OTTL has (other functions, math, map and list literals, several
 * keys) is refused with a message that says so, rather than evaluated differently.
 */
final class OttlParser {
  private enum Kind { IDENT, STRING, INT, FLOAT, OP, LPAREN, RPAREN, LBRACK, RBRACK, COMMA, DOT, MATH, LBRACE, END }

  private record Token(Kind kind, String text, int at) {}

  private final String text;
  private final OttlContext context;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;

  private OttlParser(String text, OttlContext context) {
    this.text = text;
    this.context = context;
  }

  /** @throws IllegalArgumentException saying what in the condition Kansoku cannot read */
  static Predicate<OttlItem> parse(String condition, OttlContext context) {
    OttlParser p = new OttlParser(condition, context);
    p.lex();
    Predicate<OttlItem> e = p.or();
    if (p.peek().kind != Kind.END) {
      throw p.error("unexpected \"" + p.peek().text + "\"");
    }
    return e;
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(what);
  }

  private void lex() {
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < text.length() && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
          j++;
        }
        tokens.add(new Token(Kind.IDENT, text.substring(i, j), i));
        i = j;
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))
          && (tokens.isEmpty() || tokens.get(tokens.size() - 1).kind != Kind.IDENT))) {
        i = number(i);
      } else if (c == '"') {
        i = string(i);
      } else if ("=!<>".indexOf(c) >= 0) {
        String op = i + 1 < text.length() && text.charAt(i + 1) == '=' ? text.substring(i, i + 2) : String.valueOf(c);
        if (op.equals("=") || op.equals("!")) {
          throw error("unexpected \"" + op + "\" (comparisons are written ==, !=, <, <=, >, >=)");
        }
        tokens.add(new Token(Kind.OP, op, i));
        i += op.length();
      } else {
        Kind k = switch (c) {
          case '(' -> Kind.LPAREN;
          case ')' -> Kind.RPAREN;
          case '[' -> Kind.LBRACK;
          case ']' -> Kind.RBRACK;
          case ',' -> Kind.COMMA;
          case '.' -> Kind.DOT;
          case '+', '-', '*', '/' -> Kind.MATH;
          case '{' -> Kind.LBRACE;
          default -> throw error("unexpected character '" + c + "' at " + i);
        };
        tokens.add(new Token(k, String.valueOf(c), i));
        i++;
      }
    }
    tokens.add(new Token(Kind.END, "end of condition", text.length()));
  }

  private int number(int start) {
    int j = start;
    boolean fraction = false;
    while (j < text.length() && (Character.isDigit(text.charAt(j)) || text.charAt(j) == '.')) {
      fraction |= text.charAt(j) == '.';
      j++;
    }
    if (j < text.length() && (text.charAt(j) == 'e' || text.charAt(j) == 'E')) {
      fraction = true;
      j++;
      if (j < text.length() && (text.charAt(j) == '+' || text.charAt(j) == '-')) {
        j++;
      }
      while (j < text.length() && Character.isDigit(text.charAt(j))) {
        j++;
      }
    }
    tokens.add(new Token(fraction ? Kind.FLOAT : Kind.INT, text.substring(start, j), start));
    return j;
  }

  private int string(int start) {
    StringBuilder out = new StringBuilder();
    int j = start + 1;
    while (j < text.length() && text.charAt(j) != '"') {
      char c = text.charAt(j);
      if (c == '\\' && j + 1 < text.length()) {
        char e = text.charAt(++j);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case '"', '\\', '/' -> out.append(e);
          case 'u' -> {
            if (j + 4 >= text.length() || !text.substring(j + 1, j + 5).matches("[0-9a-fA-F]{4}")) {
              throw error("invalid \\u escape at " + (j - 1) + " (expected four hex digits)");
            }
            out.append((char) Integer.parseInt(text.substring(j + 1, j + 5), 16));
            j += 4;
          }
          default -> out.append('\\').append(e); // lenient: upstream refuses "\d"; here it stays \d for the regexp
        }
      } else {
        out.append(c);
      }
      j++;
    }
    if (j >= text.length()) {
      throw error("string starting at " + start + " is not closed");
    }
    tokens.add(new Token(Kind.STRING, out.toString(), start));
    return j + 1;
  }

  private Token peek() {
    return tokens.get(pos);
  }

  private Token next() {
    return tokens.get(pos++);
  }

  private boolean keyword(String word) {
    if (peek().kind == Kind.IDENT && peek().text.equals(word)) {
      pos++;
      return true;
    }
    return false;
  }

  private Token expect(Kind kind, String what) {
    Token t = next();
    if (t.kind != kind) {
      throw error("expected " + what + " but found \"" + t.text + "\"");
    }
    return t;
  }

  private Predicate<OttlItem> or() {
    Predicate<OttlItem> left = and();
    while (keyword("or")) {
      Predicate<OttlItem> l = left;
      Predicate<OttlItem> r = and();
      left = i -> l.test(i) || r.test(i);
    }
    return left;
  }

  private Predicate<OttlItem> and() {
    Predicate<OttlItem> left = booleanValue();
    while (keyword("and")) {
      Predicate<OttlItem> l = left;
      Predicate<OttlItem> r = booleanValue();
      left = i -> l.test(i) && r.test(i);
    }
    return left;
  }

  private Predicate<OttlItem> booleanValue() {
    if (keyword("not")) {
      Predicate<OttlItem> inner = booleanValue();
      return i -> !inner.test(i);
    }
    if (peek().kind == Kind.LPAREN) {
      next();
      Predicate<OttlItem> inner = or();
      expect(Kind.RPAREN, "\")\"");
      return inner;
    }
    int start = pos;
    Value left = value();
    if (peek().kind == Kind.OP) {
      Op op = op(next().text);
      Value right = value();
      if (left.constant && right.constant) {
        boolean result = OttlCompare.compare(left.get.apply(null), right.get.apply(null), op);
        return i -> result;
      }
      Function<OttlItem, Object> l = left.get;
      Function<OttlItem, Object> r = right.get;
      return i -> OttlCompare.compare(l.apply(i), r.apply(i), op);
    }
    if (peek().kind == Kind.MATH) {
      throw error("math expressions (" + peek().text + ") are not supported by Kansoku's OTTL conditions");
    }
    if (left.bool == null) {
      throw error("\"" + text.substring(tokens.get(start).at, peek().at).trim() + "\" is not a condition: expected a"
          + " comparison, IsMatch(...), true or false");
    }
    return left.bool;
  }

  private static Op op(String symbol) {
    for (Op op : Op.values()) {
      if (op.symbol.equals(symbol)) {
        return op;
      }
    }
    throw new IllegalStateException(symbol);
  }

  /** A getter; {@code bool} is set when the value may stand alone as a condition (a boolean literal or converter). */
  private record Value(Function<OttlItem, Object> get, @Nullable Predicate<OttlItem> bool, boolean constant) {}

  private static Value constant(@Nullable Object v) {
    Predicate<OttlItem> bool = v instanceof Boolean b ? i -> b : null;
    return new Value(i -> v, bool, true);
  }

  private Value value() {
    Token t = next();
    switch (t.kind) {
      case STRING -> {
        return constant(t.text);
      }
      case INT -> {
        return constant(integer(t.text, false));
      }
      case FLOAT -> {
        return constant(Double.parseDouble(t.text));
      }
      case MATH -> {
        Token n = peek();
        if ((t.text.equals("-") || t.text.equals("+")) && n.at == t.at + 1 && (n.kind == Kind.INT || n.kind == Kind.FLOAT)) {
          next();
          boolean negative = t.text.equals("-");
          return constant(n.kind == Kind.INT ? integer(n.text, negative)
              : (negative ? -1 : 1) * Double.parseDouble(n.text));
        }
        throw error("math expressions (" + t.text + ") are not supported by Kansoku's OTTL conditions");
      }
      case LBRACE, LBRACK -> throw error("map and list literals are not supported by Kansoku's OTTL conditions");
      case IDENT -> {
        return identifier(t);
      }
      default -> throw error("expected a value but found \"" + t.text + "\"");
    }
  }

  private long integer(String digits, boolean negative) {
    try {
      return Long.parseLong(negative ? "-" + digits : digits);
    } catch (NumberFormatException e) {
      throw error("integer " + (negative ? "-" : "") + digits + " is out of the int64 range");
    }
  }

  private Value identifier(Token t) {
    switch (t.text) {
      case "true", "false" -> {
        return constant(Boolean.parseBoolean(t.text));
      }
      case "nil" -> {
        return constant(null);
      }
      case "and", "or", "not" -> throw error("expected a value but found \"" + t.text + "\"");
      default -> {
        // handled below
      }
    }
    if (peek().kind == Kind.LPAREN) {
      return call(t);
    }
    if (Character.isUpperCase(t.text.charAt(0)) && peek().kind != Kind.DOT && peek().kind != Kind.LBRACK) {
      Long v = context.enumValue(t.text);
      if (v == null) {
        throw error("enum symbol " + t.text + " is not one of the " + context.prefix() + " context's");
      }
      return constant(v);
    }
    List<String> names = new ArrayList<>(List.of(t.text));
    while (peek().kind == Kind.DOT) {
      next();
      names.add(expect(Kind.IDENT, "a path segment after \".\"").text);
    }
    String key = null;
    if (peek().kind == Kind.LBRACK) {
      next();
      Token k = next();
      if (k.kind != Kind.STRING) {
        throw error("only string keys are supported in paths, found [" + k.text + "]");
      }
      key = k.text;
      expect(Kind.RBRACK, "\"]\"");
      if (peek().kind == Kind.LBRACK) {
        throw error("paths with several keys are not supported by Kansoku's OTTL conditions");
      }
    }
    return new Value(context.path(names, key), null, false);
  }

  private Value call(Token name) {
    if (!name.text.equals("IsMatch")) {
      throw error("function " + name.text + " is not supported by Kansoku's OTTL conditions (supported: IsMatch)");
    }
    next();
    Value target = value();
    expect(Kind.COMMA, "\",\" after IsMatch's target");
    Token pattern = expect(Kind.STRING, "IsMatch's pattern as a string literal");
    expect(Kind.RPAREN, "\")\" after IsMatch's pattern");
    GoRegex regex;
    try {
      regex = GoRegex.compile(pattern.text);
    } catch (IllegalArgumentException e) {
      throw error("the pattern supplied to IsMatch is not a valid regexp pattern: " + e.getMessage());
    }
    Function<OttlItem, Object> get = target.get;
    Predicate<OttlItem> matches = i -> {
      String s = stringLike(get.apply(i));
      return s != null && regex.find(s);
    };
    return new Value(i -> matches.test(i), matches, false);
  }

  /** OTTL's StringLikeGetter: strings as they are, numbers and booleans as JSON, bytes as hex, maps and lists as JSON. */
  @Nullable
  private static String stringLike(@Nullable Object v) {
    if (v == null || v instanceof String) {
      return (String) v;
    }
    if (v instanceof ByteString b) {
      return HexFormat.of().formatHex(b.toByteArray());
    }
    if (v instanceof AnyValue a) {
      return GoValues.asString(a);
    }
    if (v instanceof Double d) {
      return GoValues.asString(AnyValue.newBuilder().setDoubleValue(d).build());
    }
    return v.toString();
  }
}
