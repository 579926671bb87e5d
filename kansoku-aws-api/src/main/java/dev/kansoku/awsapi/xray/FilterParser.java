package dev.kansoku.awsapi.xray;

import dev.kansoku.awsapi.xray.FilterExpressions.InvalidFilterException;
import dev.kansoku.awsapi.xray.FilterTokenizer.Kind;
import dev.kansoku.awsapi.xray.FilterTokenizer.Token;
import dev.kansoku.store.AttributeCondition;
import dev.kansoku.store.SpanFilter;
import dev.kansoku.store.SpanScope;
import dev.kansoku.store.TraceFilter;
import dev.kansoku.store.TraceStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Consumer;
import javax.annotation.Nullable;

/**
 * Recursive descent over {@link FilterTokenizer}'s tokens into a {@link TraceFilter}, one method per
 * rule of the grammar in {@link FilterExpressions} and one per kind of keyword. Errors name the
 * offending token, its offset and what was expected. One instance parses one expression.
 */
final class FilterParser {
  /** A node of the service graph that braces talk about: its service name and other conditions. */
  private record Node(@Nullable String service, List<AttributeCondition> conditions) {}

  private final String text;
  private final List<Token> tokens;
  private int pos;

  FilterParser(String text) {
    this.text = text;
    this.tokens = FilterTokenizer.tokenize(text);
  }

  Token peek() {
    return tokens.get(pos);
  }

  Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != Kind.EOF) {
      pos++;
    }
    return t;
  }

  InvalidFilterException error(String problem, Token at, @Nullable String expected) {
    return new InvalidFilterException("FilterExpression: " + problem + " at offset " + at.offset()
        + (expected == null ? "" : " (expected: " + expected + ")") + " in '" + text + "'", at.offset());
  }

  Token expect(String symbol, String expected) {
    Token t = next();
    if (!t.is(symbol)) {
      throw error("unexpected " + t.describe(), t, expected);
    }
    return t;
  }

  TraceFilter or(@Nullable Node ctx) {
    List<TraceFilter> alternatives = new ArrayList<>();
    alternatives.add(and(ctx));
    while (peek().is("OR") || peek().is("||")) {
      next();
      alternatives.add(and(ctx));
    }
    return alternatives.size() == 1 ? alternatives.get(0) : new TraceFilter.Any(alternatives);
  }

  TraceFilter and(@Nullable Node ctx) {
    List<TraceFilter> all = new ArrayList<>();
    all.add(unary(ctx));
    while (true) {
      Token t = peek();
      if (t.is("AND") || t.is("&&")) {
        next();
      } else if (t.kind() == Kind.EOF || t.is(")") || t.is("}") || t.is("OR") || t.is("||")) {
        break;
      }
      all.add(unary(ctx));
    }
    return all.size() == 1 ? all.get(0) : new TraceFilter.All(all);
  }

  TraceFilter unary(@Nullable Node ctx) {
    Token t = next();
    if (t.is("!") || t.is("NOT")) {
      return new TraceFilter.Not(unary(ctx));
    }
    if (t.is("(")) {
      TraceFilter inner = or(ctx);
      expect(")", "')'");
      return inner;
    }
    if (t.kind() != Kind.WORD) {
      throw error("unexpected " + t.describe(), t, "a keyword such as service(), fault, responsetime, annotation.key");
    }
    return predicate(t, ctx);
  }

  private TraceFilter predicate(Token word, @Nullable Node ctx) {
    String w = word.text().toLowerCase(Locale.ROOT);
    if (w.startsWith("annotation.")) {
      return annotation(word, ctx);
    }
    switch (w) {
      case "service":
        return service(word, ctx);
      case "edge":
        return edge(word, ctx);
      case "ok", "fault", "error", "throttle", "partial", "root":
        return bool(word, w, ctx);
      case "responsetime", "duration", "http.status":
        return number(word, w, ctx);
      case "http.url", "http.method", "http.useragent", "http.clientip", "user", "name", "availabilityzone",
          "instance.id":
        return string(word, w, ctx);
      case "and", "or", "not":
        throw error("unexpected '" + word.text() + "'", word, "a keyword such as service(), fault, responsetime");
      default:
        if (w.equals("inferred") || w.equals("first") || w.equals("last") || w.equals("remote") || w.equals("index")
            || w.equals("coverage") || w.equals("message") || w.equals("type") || w.equals("resource.arn")
            || w.startsWith("rootcause.") || w.startsWith("group.")) {
          throw error("'" + word.text() + "' is not supported by Kansoku", word, null);
        }
        throw error("unknown keyword '" + word.text() + "'", word,
            "service, edge, annotation.<key>, ok, error, fault, throttle, partial, responsetime, duration,"
                + " http.status, http.url, http.method, http.useragent, http.clientip, user, name");
    }
  }

  // --- keywords ---------------------------------------------------------------------------

  private TraceFilter bool(Token word, String w, @Nullable Node ctx) {
    boolean wanted = true;
    if (peek().is("=") || peek().is("!=")) {
      boolean negate = next().is("!=");
      Token v = next();
      if (!v.is("true") && !v.is("false")) {
        throw error("'" + word.text() + "' compared with " + v.describe(), v, "true or false");
      }
      wanted = v.is("true") != negate;
    }
    TraceFilter f = switch (w) {
      case "fault" -> has(ctx, SpanScope.ANY, b -> b.status(TraceStatus.FAULT));
      case "error" -> has(ctx, SpanScope.ANY, b -> b.status(TraceStatus.ERROR));
      case "throttle" -> has(ctx, SpanScope.ANY, b -> b.status(TraceStatus.THROTTLE));
      case "partial" -> has(ctx, SpanScope.ANY, b -> b.attribute(AttributeCondition.equalTo("aws.xray.inprogress", true)));
      case "ok" -> new TraceFilter.Not(new TraceFilter.Any(List.of(
          has(ctx, SpanScope.ANY, b -> b.status(TraceStatus.FAULT)),
          has(ctx, SpanScope.ANY, b -> b.status(TraceStatus.ERROR)))));
      default -> { // root
        if (ctx == null) {
          throw error("'root' outside service() { }", word, "root inside the braces of service(\"name\") { root }");
        }
        yield new TraceFilter.HasSpan(nodeFilter(ctx).build(), SpanScope.ROOT);
      }
    };
    return wanted ? f : new TraceFilter.Not(f);
  }

  private TraceFilter number(Token word, String w, @Nullable Node ctx) {
    Token op = next();
    if (!(op.is("=") || op.is("!=") || op.is("<") || op.is("<=") || op.is(">") || op.is(">="))) {
      throw error("'" + word.text() + "' followed by " + op.describe(), op, "a comparison = != < <= > >= and a number");
    }
    Token v = next();
    if (v.kind() != Kind.NUMBER) {
      throw error("'" + word.text() + " " + op.text() + "' followed by " + v.describe(), v, "a number");
    }
    double n = Double.parseDouble(v.text());
    if (op.is("!=")) {
      return new TraceFilter.Not(numberRange(word, w, "=", n, v, ctx));
    }
    return numberRange(word, w, op.text(), n, v, ctx);
  }

  private TraceFilter numberRange(Token word, String w, String op, double n, Token v, @Nullable Node ctx) {
    if (w.equals("http.status")) {
      if (n != Math.rint(n)) {
        throw error("http.status " + v.text() + " is not a whole number", v, "an HTTP status such as 500");
      }
      long[] r = range(op, (long) n, 100, 999);
      if (r == null) {
        return nothing();
      }
      return has(ctx, SpanScope.ROOT, b -> b.httpStatusRange((int) r[0], (int) r[1]));
    }
    if (n < 0 || Double.isNaN(n) || n > 9e9) {
      throw error(word.text() + " " + v.text() + " is out of range", v, "seconds, 0 or more");
    }
    long nanos = Math.round(n * 1e9);
    long[] r = range(op, nanos, 0, Long.MAX_VALUE);
    if (r == null) {
      return nothing();
    }
    if (w.equals("duration") && ctx == null) {
      return new TraceFilter.Duration(r[0], r[1]);
    }
    return has(ctx, SpanScope.ROOT, b -> b.minDurationNanos(r[0]).maxDurationNanos(r[1]));
  }

  /** The closed interval of values within [lo, hi] satisfying {@code op n}, or null when empty. */
  @Nullable
  private static long[] range(String op, long n, long lo, long hi) {
    long min = lo;
    long max = hi;
    switch (op) {
      case "=" -> { min = n; max = n; }
      case "<" -> max = n - 1;
      case "<=" -> max = n;
      case ">" -> min = n == Long.MAX_VALUE ? n : n + 1;
      default -> min = n; // >=
    }
    min = Math.max(min, lo);
    max = Math.min(max, hi);
    return min > max ? null : new long[] {min, max};
  }

  private TraceFilter string(Token word, String w, @Nullable Node ctx) {
    Token op = peek();
    boolean hasOp = op.is("=") || op.is("!=") || op.is("CONTAINS") || op.is("BEGINSWITH") || op.is("ENDSWITH");
    if (!hasOp) {
      return stringPredicate(word, w, null, null, ctx); // bare: the field is set
    }
    next();
    Token v = next();
    if (v.kind() != Kind.STRING) {
      throw error("'" + word.text() + " " + op.text() + "' followed by " + v.describe(), v, "a quoted string");
    }
    if (op.is("!=")) {
      return new TraceFilter.Not(stringPredicate(word, w, "=", v.text(), ctx));
    }
    return stringPredicate(word, w, op.text().toUpperCase(Locale.ROOT), v.text(), ctx);
  }

  /** {@code op} is =, CONTAINS, BEGINSWITH, ENDSWITH, or null for "is set". */
  private TraceFilter stringPredicate(Token word, String w, @Nullable String op, @Nullable String value,
      @Nullable Node ctx) {
    switch (w) {
      case "http.url":
        if (op == null || op.equals("CONTAINS")) {
          return has(ctx, SpanScope.ROOT, b -> b.httpUrlContains(value == null ? "" : value));
        }
        return attributes(ctx, SpanScope.ROOT, List.of("url.full", "http.url"), op, value);
      case "http.method":
        if ("=".equals(op)) {
          return has(ctx, SpanScope.ROOT, b -> b.httpMethod(value));
        }
        return attributes(ctx, SpanScope.ROOT, List.of("http.request.method", "http.method"), op, value);
      case "http.useragent":
        return attributes(ctx, SpanScope.ROOT, List.of("http.user_agent", "user_agent.original"), op, value);
      case "http.clientip":
        return attributes(ctx, SpanScope.ROOT, List.of("http.client_ip", "client.address"), op, value);
      case "user":
        return attributes(ctx, SpanScope.ANY, List.of("enduser.id"), op, value);
      case "availabilityzone":
        return attributes(ctx, SpanScope.ANY, List.of("cloud.availability_zone"), op, value);
      case "instance.id":
        return attributes(ctx, SpanScope.ANY, List.of("host.id"), op, value);
      default: // name: the span (segment or subsegment) name
        if (!"=".equals(op)) {
          throw error("'name' supports = and != only", word, null);
        }
        return has(ctx, SpanScope.ANY, b -> b.spanName(value));
    }
  }

  /** Some span in scope has one of {@code keys} satisfying {@code op value}. */
  private TraceFilter attributes(@Nullable Node ctx, SpanScope scope, List<String> keys, @Nullable String op,
      @Nullable String value) {
    List<TraceFilter> any = new ArrayList<>();
    for (String key : keys) {
      AttributeCondition c = op == null ? AttributeCondition.exists(key) : new AttributeCondition(key, textOp(op), value);
      any.add(has(ctx, scope, b -> b.attribute(c)));
    }
    return any.size() == 1 ? any.get(0) : new TraceFilter.Any(any);
  }

  /** The store's condition for one of X-Ray's string operators. */
  private static AttributeCondition.Op textOp(String op) {
    return switch (op) {
      case "=" -> AttributeCondition.Op.EQUALS;
      case "BEGINSWITH" -> AttributeCondition.Op.STARTS_WITH;
      case "ENDSWITH" -> AttributeCondition.Op.ENDS_WITH;
      default -> AttributeCondition.Op.CONTAINS;
    };
  }

  private TraceFilter annotation(Token word, @Nullable Node ctx) {
    String key = word.text().substring("annotation.".length());
    if (key.isEmpty() || !key.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
      throw error("annotation key '" + key + "'", word, "letters, digits and _ after annotation.");
    }
    Token op = peek();
    if (!(op.is("=") || op.is("!=") || op.is("<") || op.is("<=") || op.is(">") || op.is(">=") || op.is("CONTAINS")
        || op.is("BEGINSWITH") || op.is("ENDSWITH"))) {
      return has(ctx, SpanScope.ANY, b -> b.attribute(AttributeCondition.exists(key)));
    }
    next();
    Token v = next();
    Object value;
    if (v.kind() == Kind.STRING) {
      value = v.text();
    } else if (v.kind() == Kind.NUMBER) {
      double d = Double.parseDouble(v.text());
      value = d == Math.rint(d) && Math.abs(d) < 1e15 ? (Object) (long) d : (Object) d;
    } else if (v.is("true") || v.is("false")) {
      value = v.is("true");
    } else {
      throw error("'" + word.text() + " " + op.text() + "' followed by " + v.describe(), v,
          "a quoted string, a number, true or false");
    }
    String o = op.text().toUpperCase(Locale.ROOT);
    boolean textOp = o.equals("CONTAINS") || o.equals("BEGINSWITH") || o.equals("ENDSWITH");
    if (textOp && !(value instanceof String)) {
      throw error(o + " followed by " + v.describe(), v, "a quoted string");
    }
    if (!(o.equals("=") || o.equals("!=") || textOp) && !(value instanceof Number)) {
      throw error(op.text() + " followed by " + v.describe(), v, "a number");
    }
    AttributeCondition.Op cop = switch (o) {
      case "=", "!=" -> AttributeCondition.Op.EQUALS;
      case "<" -> AttributeCondition.Op.LESS;
      case "<=" -> AttributeCondition.Op.LESS_OR_EQUAL;
      case ">" -> AttributeCondition.Op.GREATER;
      case ">=" -> AttributeCondition.Op.GREATER_OR_EQUAL;
      default -> textOp(o);
    };
    AttributeCondition c = new AttributeCondition(key, cop, value);
    TraceFilter f = has(ctx, SpanScope.ANY, b -> b.attribute(c));
    return o.equals("!=") ? new TraceFilter.Not(f) : f;
  }

  private TraceFilter service(Token word, @Nullable Node ctx) {
    if (ctx != null) {
      throw error("service() inside braces", word, "service() { … } at the top level");
    }
    expect("(", "'(' after service");
    Node node = peek().is(")") ? new Node(null, List.of()) : node();
    expect(")", "')' closing service(");
    TraceFilter touched = new TraceFilter.HasSpan(nodeFilter(node).build(), SpanScope.ANY);
    if (!peek().is("{")) {
      return touched;
    }
    next();
    TraceFilter inner = or(node);
    expect("}", "'}' closing service(…) {");
    return new TraceFilter.All(List.of(touched, inner));
  }

  private TraceFilter edge(Token word, @Nullable Node ctx) {
    if (ctx != null) {
      throw error("edge() inside braces", word, "edge(a, b) { … } at the top level");
    }
    expect("(", "'(' after edge");
    Token fromAt = peek();
    Node from = node();
    expect(",", "',' between the two nodes of edge(a, b)");
    Token toAt = peek();
    Node to = node();
    expect(")", "')' closing edge(");
    if (from.service == null) {
      throw error("edge() source without a name", fromAt, "a service name");
    }
    if (to.service == null) {
      throw error("edge() destination without a name", toAt, "a service name");
    }
    TraceFilter edge = new TraceFilter.Edge(from.service, to.service);
    if (!peek().is("{")) {
      return edge;
    }
    next();
    TraceFilter inner = or(to);
    expect("}", "'}' closing edge(…) {");
    return new TraceFilter.All(List.of(edge, inner));
  }

  /** A string, or id(name: "x", type: "y", account.id: "z"). */
  private Node node() {
    Token t = next();
    if (t.kind() == Kind.STRING) {
      return new Node(t.text(), List.of());
    }
    if (!t.is("id")) {
      throw error("unexpected " + t.describe(), t, "a quoted service name or id(name: \"…\", type: \"…\")");
    }
    expect("(", "'(' after id");
    String name = null;
    List<AttributeCondition> conditions = new ArrayList<>();
    while (true) {
      Token key = next();
      expect(":", "':' after " + key.describe());
      Token v = next();
      if (v.kind() != Kind.STRING) {
        throw error("id(" + key.text() + ": " + v.describe() + ")", v, "a quoted string");
      }
      switch (key.text().toLowerCase(Locale.ROOT)) {
        case "name" -> name = v.text();
        case "type" -> {
          List<AttributeCondition> origin = FilterExpressions.ORIGIN_CONDITIONS.get(v.text());
          if (origin == null) {
            throw error("id(type: \"" + v.text() + "\") is not a type Kansoku knows", v,
                "one of " + new TreeSet<>(FilterExpressions.ORIGIN_CONDITIONS.keySet()));
          }
          conditions.addAll(origin);
        }
        case "account.id" -> conditions.add(AttributeCondition.equalTo("cloud.account.id", v.text()));
        default -> throw error("id() argument " + key.describe(), key, "name, type or account.id");
      }
      Token sep = next();
      if (sep.is(")")) {
        break;
      }
      if (!sep.is(",")) {
        throw error("unexpected " + sep.describe(), sep, "',' or ')' in id(…)");
      }
    }
    return new Node(name, conditions);
  }

  // --- helpers ----------------------------------------------------------------------------

  private static SpanFilter.Builder nodeFilter(Node node) {
    SpanFilter.Builder b = SpanFilter.builder();
    if (node.service != null) {
      b.serviceName(node.service);
    }
    node.conditions.forEach(b::attribute);
    return b;
  }

  /** Some span satisfies {@code conditions}; inside braces, some span of the node, whatever {@code scope}. */
  private static TraceFilter has(@Nullable Node ctx, SpanScope scope, Consumer<SpanFilter.Builder> conditions) {
    SpanFilter.Builder b = ctx == null ? SpanFilter.builder() : nodeFilter(ctx);
    conditions.accept(b);
    return new TraceFilter.HasSpan(b.build(), ctx == null ? scope : SpanScope.ANY);
  }

  /** Matches no trace (every trace has a span): for comparisons no value can satisfy, like http.status < 0. */
  private static TraceFilter nothing() {
    return new TraceFilter.Not(new TraceFilter.HasSpan(SpanFilter.ANY, SpanScope.ANY));
  }
}
