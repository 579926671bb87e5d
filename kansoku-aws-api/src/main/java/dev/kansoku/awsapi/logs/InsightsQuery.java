package dev.kansoku.awsapi.logs;

import dev.kansoku.model.TraceCorrelation;
import dev.kansoku.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.annotation.Nullable;

/**
 * A parsed Logs Insights query (the CWLI subset: fields, display, filter, stats, sort, limit, parse,
 * dedup), as a list of commands over rows of fields. Parsing is a hand-written tokenizer and
 * recursive descent, so errors can point at the offending characters (MalformedQueryException's
 * {@code queryCompileError.location}). Immutable once parsed; evaluation is in {@link InsightsRunner}.
 */
final class InsightsQuery {
  /** A syntax error with the character range it concerns. */
  static final class MalformedQuery extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int start;
    final int end;

    MalformedQuery(String message, int start, int end) {
      super(message, null, false, false);
      this.start = start;
      this.end = end;
    }
  }

  // ---- tokens

  enum Kind { IDENT, QUOTED_IDENT, STRING, REGEX, NUMBER, PERIOD, OP, PIPE, EOF }

  record Tok(Kind kind, String text, int start, int end) {
    boolean is(String word) {
      return (kind == Kind.IDENT && text.equalsIgnoreCase(word)) || (kind == Kind.OP && text.equals(word));
    }
  }

  // ---- expressions

  interface Expr {
    @Nullable
    Object eval(Map<String, Object> row);
  }

  record Literal(Object value) implements Expr {
    public Object eval(Map<String, Object> row) {
      return value;
    }
  }

  record Field(String name) implements Expr {
    public Object eval(Map<String, Object> row) {
      return row.get(name);
    }
  }

  /** A period such as 5m, in milliseconds. */
  record Period(long millis) implements Expr {
    public Object eval(Map<String, Object> row) {
      return (double) millis;
    }
  }

  record Call(String fn, List<Expr> args) implements Expr {
    public Object eval(Map<String, Object> row) {
      return InsightsRunner.call(this, row);
    }
  }

  record Binary(String op, Expr left, Expr right) implements Expr {
    public Object eval(Map<String, Object> row) {
      return InsightsRunner.binary(op, left, right, row);
    }
  }

  record Not(Expr inner) implements Expr {
    public Object eval(Map<String, Object> row) {
      return !InsightsRunner.truthy(inner.eval(row));
    }
  }

  /** {@code like "substring"}, {@code like /re/}, {@code =~ /re/}; {@code literal} set for the substring form. */
  record Like(Expr value, @Nullable String literal, @Nullable Pattern regex) implements Expr {
    public Object eval(Map<String, Object> row) {
      Object v = value.eval(row);
      if (v == null) {
        return false;
      }
      String s = InsightsRunner.render(v);
      return literal != null ? s.contains(literal) : regex.matcher(s).find();
    }
  }

  record In(Expr value, List<Object> options) implements Expr {
    public Object eval(Map<String, Object> row) {
      Object v = value.eval(row);
      for (Object o : options) {
        if (v != null && InsightsRunner.compare(v, o) == 0) {
          return true;
        }
      }
      return false;
    }
  }

  // ---- commands

  record Named(String name, Expr expr) {}

  interface Command {}

  record Fields(List<Named> fields) implements Command {}

  record Display(List<String> names) implements Command {}

  record Filter(Expr condition) implements Command {}

  /** {@code fn} is count, count_distinct, sum, avg, min, max, pct, earliest or latest; arg null for count(*). */
  record Agg(String name, String fn, @Nullable Expr arg, double percentile) {}

  record Stats(List<Agg> aggs, List<Named> by) implements Command {}

  record SortKey(String name, boolean descending) {}

  record Sort(List<SortKey> keys) implements Command {}

  record Limit(int rows) implements Command {}

  record Parse(Expr source, Pattern pattern, List<String> names) implements Command {}

  record Dedup(List<String> names) implements Command {}

  final String text;
  final List<Command> commands;

  private InsightsQuery(String text, List<Command> commands) {
    this.text = text;
    this.commands = List.copyOf(commands);
  }

  /**
   * The trace id a top-level {@code filter @message like "…"} names, if any, so the runner can ask
   * the store's trace-id index instead of scanning: the X-Ray console's "logs of this trace" query.
   * Only filters before any stats, and only conjuncts (an OR could match lines of other traces).
   */
  @Nullable
  TraceId traceHint() {
    for (Command c : commands) {
      if (c instanceof Stats) {
        return null;
      }
      if (c instanceof Filter f) {
        TraceId t = traceHint(f.condition());
        if (t != null) {
          return t;
        }
      }
    }
    return null;
  }

  @Nullable
  private static TraceId traceHint(Expr e) {
    if (e instanceof Binary b && b.op().equals("and")) {
      TraceId t = traceHint(b.left());
      return t != null ? t : traceHint(b.right());
    }
    if (e instanceof Like l && l.literal() != null && l.value() instanceof Field f && f.name().equals("@message")) {
      TraceCorrelation.Match m = TraceCorrelation.find(l.literal());
      // A literal holding a whole id can only match lines carrying that id, which the index finds;
      // the substring test still runs on them. Part of an id finds nothing here, so that scans.
      if (m != null) {
        return m.traceId();
      }
    }
    return null;
  }

  // ---- parsing

  static InsightsQuery parse(String text) {
    if (text == null || text.isBlank()) {
      throw new MalformedQuery("queryString is empty", 0, 0);
    }
    Parser p = new Parser(text, tokenize(text));
    List<Command> commands = new ArrayList<>();
    do {
      commands.add(p.command());
    } while (p.accept(Kind.PIPE));
    p.expect(Kind.EOF, "| or the end of the query");
    int stats = 0;
    for (int i = 0; i < commands.size(); i++) {
      if (commands.get(i) instanceof Stats && ++stats > 2) {
        throw new MalformedQuery("at most two stats commands are allowed", 0, text.length());
      }
      if (commands.get(i) instanceof Dedup) {
        for (Command after : commands.subList(i + 1, commands.size())) {
          if (!(after instanceof Limit)) {
            throw new MalformedQuery("only limit may follow dedup", 0, text.length());
          }
        }
      }
    }
    return new InsightsQuery(text, commands);
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

  private static final class Parser {
    final String text;
    final List<Tok> toks;
    int at;

    Parser(String text, List<Tok> toks) {
      this.text = text;
      this.toks = toks;
    }

    Tok peek() {
      return toks.get(at);
    }

    Tok next() {
      return toks.get(at++);
    }

    boolean accept(Kind k) {
      if (peek().kind() == k) {
        at++;
        return true;
      }
      return false;
    }

    boolean accept(String word) {
      if (peek().is(word)) {
        at++;
        return true;
      }
      return false;
    }

    Tok expect(Kind k, String what) {
      Tok t = peek();
      if (t.kind() != k) {
        throw error("expected " + what, t);
      }
      return next();
    }

    void expect(String word) {
      if (!accept(word)) {
        throw error("expected '" + word + "'", peek());
      }
    }

    MalformedQuery error(String what, Tok t) {
      String got = t.kind() == Kind.EOF ? "the end of the query" : "'" + text.substring(t.start(), t.end()) + "'";
      return new MalformedQuery(what + " but found " + got + " at character " + t.start(), t.start(), t.end());
    }

    Command command() {
      Tok kw = expect(Kind.IDENT, "a command (fields, filter, stats, sort, limit, parse, display, dedup)");
      return switch (kw.text().toLowerCase(Locale.ROOT)) {
        case "fields" -> new Fields(namedList());
        case "display" -> new Display(nameList());
        case "filter" -> new Filter(expr());
        case "stats" -> stats();
        case "sort" -> sort();
        case "limit" -> limit();
        case "parse" -> parseCommand();
        case "dedup" -> new Dedup(nameList());
        default -> throw new MalformedQuery("unknown command '" + kw.text() + "' at character " + kw.start()
            + " (supported: fields, display, filter, stats, sort, limit, parse, dedup)", kw.start(), kw.end());
      };
    }

    List<Named> namedList() {
      List<Named> out = new ArrayList<>();
      do {
        int start = peek().start();
        Expr e = expr();
        String name = accept("as") ? name() : nameOf(e, start);
        out.add(new Named(name, e));
      } while (accept(","));
      return out;
    }

    String nameOf(Expr e, int start) {
      return e instanceof Field f ? f.name() : text.substring(start, toks.get(at - 1).end()).strip();
    }

    List<String> nameList() {
      List<String> out = new ArrayList<>();
      do {
        out.add(name());
      } while (accept(","));
      return out;
    }

    String name() {
      Tok t = peek();
      if (t.kind() == Kind.IDENT || t.kind() == Kind.QUOTED_IDENT) {
        at++;
        return t.text();
      }
      throw error("expected a field name", t);
    }

    Stats stats() {
      List<Agg> aggs = new ArrayList<>();
      do {
        int start = peek().start();
        Tok fn = expect(Kind.IDENT, "an aggregation such as count(*)");
        String f = fn.text().toLowerCase(Locale.ROOT);
        if (!List.of("count", "count_distinct", "sum", "avg", "min", "max", "pct", "earliest", "latest").contains(f)) {
          throw new MalformedQuery("unknown aggregation '" + fn.text() + "' at character " + fn.start()
              + " (supported: count, count_distinct, sum, avg, min, max, pct, earliest, latest)", fn.start(), fn.end());
        }
        expect("(");
        Expr arg = null;
        double pct = Double.NaN;
        if (f.equals("count") && (accept("*") || peek().is(")"))) {
          arg = null;
        } else {
          arg = expr();
          if (f.equals("pct")) {
            expect(",");
            Tok p = expect(Kind.NUMBER, "a percentile (0 to 100)");
            pct = Double.parseDouble(p.text());
            if (pct < 0 || pct > 100) {
              throw new MalformedQuery("percentile " + p.text() + " is not between 0 and 100", p.start(), p.end());
            }
          }
        }
        expect(")");
        String name = text.substring(start, toks.get(at - 1).end());
        if (accept("as")) {
          name = name();
        }
        aggs.add(new Agg(name, f, arg, pct));
      } while (accept(","));
      List<Named> by = accept("by") ? namedList() : List.of();
      return new Stats(aggs, by);
    }

    Sort sort() {
      List<SortKey> keys = new ArrayList<>();
      do {
        String n = name();
        boolean desc = true; // Insights sorts descending unless told asc
        if (accept("asc")) {
          desc = false;
        } else {
          accept("desc");
        }
        keys.add(new SortKey(n, desc));
      } while (accept(","));
      return new Sort(keys);
    }

    Limit limit() {
      Tok t = expect(Kind.NUMBER, "a row count");
      try {
        int n = Integer.parseInt(t.text());
        if (n < 1 || n > 10_000) {
          throw new NumberFormatException();
        }
        return new Limit(n);
      } catch (NumberFormatException e) {
        throw new MalformedQuery("limit " + t.text() + " is not 1 to 10000", t.start(), t.end());
      }
    }

    Parse parseCommand() {
      Expr source = primary();
      Tok t = next();
      if (t.kind() == Kind.REGEX) {
        Pattern p = compile(t);
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(t.text());
        while (m.find()) {
          names.add(m.group(1));
        }
        if (names.isEmpty()) {
          throw new MalformedQuery("parse regex has no named groups like (?<name>...)", t.start(), t.end());
        }
        return new Parse(source, p, names);
      }
      if (t.kind() != Kind.STRING) {
        throw error("expected a glob string or /regex/ after parse's field", t);
      }
      expect("as");
      List<String> names = nameList();
      String[] parts = t.text().split("\\*", -1);
      if (parts.length - 1 != names.size()) {
        throw new MalformedQuery("parse pattern has " + (parts.length - 1) + " * but " + names.size() + " names",
            t.start(), toks.get(at - 1).end());
      }
      StringBuilder re = new StringBuilder();
      for (int k = 0; k < parts.length; k++) {
        re.append(Pattern.quote(parts[k]));
        if (k < parts.length - 1) {
          re.append(k == parts.length - 2 && parts[k + 1].isEmpty() ? "(.*)" : "(.*?)");
        }
      }
      return new Parse(source, Pattern.compile(re.toString(), Pattern.DOTALL), names);
    }

    Pattern compile(Tok t) {
      try {
        return Pattern.compile(t.text());
      } catch (PatternSyntaxException e) {
        throw new MalformedQuery("bad regular expression /" + t.text() + "/: " + e.getDescription(), t.start(),
            t.end());
      }
    }

    Expr expr() {
      Expr left = and();
      while (accept("or")) {
        left = new Binary("or", left, and());
      }
      return left;
    }

    Expr and() {
      Expr left = not();
      while (accept("and")) {
        left = new Binary("and", left, not());
      }
      return left;
    }

    Expr not() {
      if (accept("not")) {
        return new Not(not());
      }
      return comparison();
    }

    Expr comparison() {
      Expr left = additive();
      boolean negate = false;
      if (peek().is("not") && (toks.get(at + 1).is("like") || toks.get(at + 1).is("in"))) {
        at++;
        negate = true;
      }
      Expr out = left;
      if (accept("like")) {
        Tok t = next();
        if (t.kind() == Kind.STRING) {
          out = new Like(left, t.text(), null);
        } else if (t.kind() == Kind.REGEX) {
          out = new Like(left, null, compile(t));
        } else {
          throw error("expected a \"string\" or /regex/ after like", t);
        }
      } else if (accept("=~")) {
        Tok t = next();
        if (t.kind() != Kind.REGEX) {
          throw error("expected a /regex/ after =~", t);
        }
        out = new Like(left, null, compile(t));
      } else if (accept("in")) {
        expect("[");
        List<Object> options = new ArrayList<>();
        if (!peek().is("]")) {
          do {
            Expr lit = primary();
            if (!(lit instanceof Literal l)) {
              throw error("expected a literal in the in [...] list", toks.get(at - 1));
            }
            options.add(l.value());
          } while (accept(","));
        }
        expect("]");
        out = new In(left, options);
      } else if (negate) {
        throw error("expected like or in after not", peek());
      } else {
        for (String op : new String[] {"=", "!=", "<", "<=", ">", ">="}) {
          if (accept(op)) {
            return new Binary(op, left, additive());
          }
        }
        return left;
      }
      return negate ? new Not(out) : out;
    }

    Expr additive() {
      Expr left = multiplicative();
      while (peek().is("+") || peek().is("-")) {
        left = new Binary(next().text(), left, multiplicative());
      }
      return left;
    }

    Expr multiplicative() {
      Expr left = unary();
      while (peek().is("*") || peek().is("/") || peek().is("%") || peek().is("^")) {
        left = new Binary(next().text(), left, unary());
      }
      return left;
    }

    Expr unary() {
      if (accept("-")) {
        return new Binary("-", new Literal(0.0), unary());
      }
      return primary();
    }

    Expr primary() {
      Tok t = next();
      switch (t.kind()) {
        case NUMBER:
          return new Literal(Double.parseDouble(t.text()));
        case STRING:
          return new Literal(t.text());
        case PERIOD:
          return new Period(periodMillis(t));
        case QUOTED_IDENT:
          return new Field(t.text());
        case IDENT:
          if (peek().is("(")) {
            at++;
            List<Expr> args = new ArrayList<>();
            if (!accept(")")) {
              do {
                args.add(expr());
              } while (accept(","));
              expect(")");
            }
            String fn = t.text().toLowerCase(Locale.ROOT);
            if (!InsightsRunner.FUNCTIONS.contains(fn)) {
              throw new MalformedQuery("unknown function '" + t.text() + "' at character " + t.start(), t.start(),
                  t.end());
            }
            return new Call(fn, args);
          }
          if (t.is("and") || t.is("or") || t.is("not") || t.is("like") || t.is("in") || t.is("by") || t.is("as")) {
            throw error("expected a value", t);
          }
          return new Field(t.text());
        case OP:
          if (t.is("(")) {
            Expr e = expr();
            expect(")");
            return e;
          }
          // fall through
        default:
          throw error("expected a value", t);
      }
    }

    static long periodMillis(Tok t) {
      Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d|w|mo|q|y)").matcher(t.text());
      if (!m.matches()) {
        throw new MalformedQuery("bad period '" + t.text() + "' (expected e.g. 30s, 5m, 1h, 1d)", t.start(), t.end());
      }
      long n = Long.parseLong(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1_000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        case "d" -> 86_400_000L;
        case "w" -> 7 * 86_400_000L;
        case "mo" -> 30 * 86_400_000L;
        case "q" -> 91 * 86_400_000L;
        default -> 365 * 86_400_000L;
      };
      if (n == 0) {
        throw new MalformedQuery("period '" + t.text() + "' is zero", t.start(), t.end());
      }
      return n * unit;
    }
  }

  /** For tests and logs. */
  @Override
  public String toString() {
    return text;
  }

}
