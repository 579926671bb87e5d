package dev.kansoku.awsapi.logs;

import dev.kansoku.awsapi.logs.InsightsQuery.Agg;
import dev.kansoku.awsapi.logs.InsightsQuery.Binary;
import dev.kansoku.awsapi.logs.InsightsQuery.Call;
import dev.kansoku.awsapi.logs.InsightsQuery.Command;
import dev.kansoku.awsapi.logs.InsightsQuery.Dedup;
import dev.kansoku.awsapi.logs.InsightsQuery.Display;
import dev.kansoku.awsapi.logs.InsightsQuery.Expr;
import dev.kansoku.awsapi.logs.InsightsQuery.Field;
import dev.kansoku.awsapi.logs.InsightsQuery.Fields;
import dev.kansoku.awsapi.logs.InsightsQuery.Filter;
import dev.kansoku.awsapi.logs.InsightsQuery.In;
import dev.kansoku.awsapi.logs.InsightsQuery.Like;
import dev.kansoku.awsapi.logs.InsightsQuery.Limit;
import dev.kansoku.awsapi.logs.InsightsQuery.Literal;
import dev.kansoku.awsapi.logs.InsightsQuery.MalformedQuery;
import dev.kansoku.awsapi.logs.InsightsQuery.Named;
import dev.kansoku.awsapi.logs.InsightsQuery.Not;
import dev.kansoku.awsapi.logs.InsightsQuery.Parse;
import dev.kansoku.awsapi.logs.InsightsQuery.Period;
import dev.kansoku.awsapi.logs.InsightsQuery.Sort;
import dev.kansoku.awsapi.logs.InsightsQuery.SortKey;
import dev.kansoku.awsapi.logs.InsightsQuery.Stats;
import dev.kansoku.awsapi.logs.InsightsTokenizer.Kind;
import dev.kansoku.awsapi.logs.InsightsTokenizer.Tok;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Recursive descent over {@link InsightsTokenizer}'s tokens into {@link InsightsQuery}'s commands and
 * expressions: one method per command and per precedence level (or, and, not, comparison, additive,
 * multiplicative, unary, primary). Errors are {@link MalformedQuery} with the offending characters.
 * One instance parses one query.
 */
final class InsightsParser {
  final String text;
  final List<Tok> toks;
  int at;

  InsightsParser(String text, List<Tok> toks) {
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
          if (!InsightsFunctions.FUNCTIONS.contains(fn)) {
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
