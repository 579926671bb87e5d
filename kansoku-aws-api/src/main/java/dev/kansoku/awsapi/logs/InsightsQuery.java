package dev.kansoku.awsapi.logs;

import dev.kansoku.model.TraceCorrelation;
import dev.kansoku.model.TraceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * A parsed Logs Insights query (the CWLI subset: fields, display, filter, stats, sort, limit, parse,
 * dedup), as a list of commands over rows of fields. Parsing is a hand-written tokenizer
 * ({@link InsightsTokenizer}) and recursive descent ({@link InsightsParser}), so errors can point at
 * the offending characters (MalformedQueryException's {@code queryCompileError.location}). Immutable
 * once parsed; evaluation is in {@link InsightsRunner}.
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
      return InsightsFunctions.call(this, row);
    }
  }

  record Binary(String op, Expr left, Expr right) implements Expr {
    public Object eval(Map<String, Object> row) {
      return InsightsFunctions.binary(op, left, right, row);
    }
  }

  record Not(Expr inner) implements Expr {
    public Object eval(Map<String, Object> row) {
      return !InsightsValues.truthy(inner.eval(row));
    }
  }

  /** {@code like "substring"}, {@code like /re/}, {@code =~ /re/}; {@code literal} set for the substring form. */
  record Like(Expr value, @Nullable String literal, @Nullable Pattern regex) implements Expr {
    public Object eval(Map<String, Object> row) {
      Object v = value.eval(row);
      if (v == null) {
        return false;
      }
      String s = InsightsValues.render(v);
      return literal != null ? s.contains(literal) : regex.matcher(s).find();
    }
  }

  record In(Expr value, List<Object> options) implements Expr {
    public Object eval(Map<String, Object> row) {
      Object v = value.eval(row);
      for (Object o : options) {
        if (v != null && InsightsValues.compare(v, o) == 0) {
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
    InsightsParser p = new InsightsParser(text, InsightsTokenizer.tokenize(text));
    List<Command> commands = new ArrayList<>();
    do {
      commands.add(p.command());
    } while (p.accept(InsightsTokenizer.Kind.PIPE));
    p.expect(InsightsTokenizer.Kind.EOF, "| or the end of the query");
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

  /** For tests and logs. */
  @Override
  public String toString() {
    return text;
  }
}
