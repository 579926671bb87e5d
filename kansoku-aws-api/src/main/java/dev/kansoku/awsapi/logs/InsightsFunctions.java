package dev.kansoku.awsapi.logs;

import static dev.kansoku.awsapi.logs.InsightsValues.compare;
import static dev.kansoku.awsapi.logs.InsightsValues.number;
import static dev.kansoku.awsapi.logs.InsightsValues.render;
import static dev.kansoku.awsapi.logs.InsightsValues.truthy;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * The operators and functions of Logs Insights expressions, evaluated on one row. A missing operand
 * makes arithmetic null and comparisons false ({@code !=} compares presence); functions follow the
 * CloudWatch documentation for the subset in {@link #FUNCTIONS}. Stateless.
 */
final class InsightsFunctions {
  static final Set<String> FUNCTIONS = Set.of("ispresent", "coalesce", "isempty", "isblank", "concat", "strlen",
      "toupper", "tolower", "trim", "ltrim", "rtrim", "strcontains", "substr", "replace", "abs", "ceil", "floor",
      "sqrt", "log", "pow", "greatest", "least", "bin", "datefloor", "frommillis", "tomillis");

  private InsightsFunctions() {}

  @Nullable
  static Object binary(String op, InsightsQuery.Expr l, InsightsQuery.Expr r, Map<String, Object> row) {
    if (op.equals("and")) {
      return truthy(l.eval(row)) && truthy(r.eval(row));
    }
    if (op.equals("or")) {
      return truthy(l.eval(row)) || truthy(r.eval(row));
    }
    Object a = l.eval(row);
    Object b = r.eval(row);
    if (a == null || b == null) {
      return op.equals("!=") ? (Object) (a != b) : op.length() <= 2 && "=<>".indexOf(op.charAt(0)) >= 0 ? false : null;
    }
    switch (op) {
      case "=":
        return compare(a, b) == 0;
      case "!=":
        return compare(a, b) != 0;
      case "<":
        return compare(a, b) < 0;
      case "<=":
        return compare(a, b) <= 0;
      case ">":
        return compare(a, b) > 0;
      case ">=":
        return compare(a, b) >= 0;
      default:
        break;
    }
    Double x = number(a);
    Double y = number(b);
    if (x == null || y == null) {
      return null;
    }
    return switch (op) {
      case "+" -> x + y;
      case "-" -> x - y;
      case "*" -> x * y;
      case "/" -> y == 0 ? null : x / y;
      case "%" -> y == 0 ? null : x % y;
      default -> Math.pow(x, y);
    };
  }

  @Nullable
  static Object call(InsightsQuery.Call c, Map<String, Object> row) {
    List<InsightsQuery.Expr> args = c.args();
    switch (c.fn()) {
      case "ispresent":
        return !args.isEmpty() && args.get(0).eval(row) != null;
      case "coalesce":
        for (InsightsQuery.Expr e : args) {
          Object v = e.eval(row);
          if (v != null) {
            return v;
          }
        }
        return null;
      case "bin":
      case "datefloor": {
        InsightsQuery.Expr periodExpr = args.get(args.size() - 1);
        Object t = c.fn().equals("bin") ? row.get("@timestamp") : args.get(0).eval(row);
        Double ms = number(t);
        Double period = number(periodExpr.eval(row));
        if (ms == null || period == null || period <= 0) {
          return null;
        }
        long p = period.longValue();
        return Instant.ofEpochMilli(Math.floorDiv(ms.longValue(), p) * p);
      }
      case "frommillis": {
        Double ms = number(arg(args, 0, row));
        return ms == null ? null : Instant.ofEpochMilli(ms.longValue());
      }
      case "tomillis": {
        Double ms = number(arg(args, 0, row));
        return ms;
      }
      case "concat": {
        StringBuilder b = new StringBuilder();
        for (InsightsQuery.Expr e : args) {
          Object v = e.eval(row);
          if (v != null) {
            b.append(render(v));
          }
        }
        return b.toString();
      }
      case "greatest":
      case "least": {
        Object best = null;
        for (InsightsQuery.Expr e : args) {
          Object v = e.eval(row);
          if (v != null && (best == null || compare(v, best) * (c.fn().equals("greatest") ? 1 : -1) > 0)) {
            best = v;
          }
        }
        return best;
      }
      default:
        break;
    }
    Object v = arg(args, 0, row);
    if (v == null) {
      return c.fn().equals("isempty") || c.fn().equals("isblank") ? (Object) true : null;
    }
    String s = render(v);
    Double d = number(v);
    return switch (c.fn()) {
      case "isempty" -> s.isEmpty();
      case "isblank" -> s.isBlank();
      case "strlen" -> (double) s.length();
      case "toupper" -> s.toUpperCase(Locale.ROOT);
      case "tolower" -> s.toLowerCase(Locale.ROOT);
      case "trim" -> s.strip();
      case "ltrim" -> s.stripLeading();
      case "rtrim" -> s.stripTrailing();
      case "strcontains" -> {
        Object sub = arg(args, 1, row);
        yield sub != null && s.contains(render(sub)) ? 1.0 : 0.0;
      }
      case "substr" -> {
        Double from = number(arg(args, 1, row));
        if (from == null) {
          yield null;
        }
        int start = Math.max(0, Math.min(s.length(), from.intValue()));
        Double len = args.size() > 2 ? number(arg(args, 2, row)) : null;
        yield len == null ? s.substring(start) : s.substring(start, Math.min(s.length(), start + len.intValue()));
      }
      case "replace" -> {
        Object find = arg(args, 1, row);
        Object repl = arg(args, 2, row);
        yield find == null || repl == null ? s : s.replace(render(find), render(repl));
      }
      case "abs" -> d == null ? null : Math.abs(d);
      case "ceil" -> d == null ? null : Math.ceil(d);
      case "floor" -> d == null ? null : Math.floor(d);
      case "sqrt" -> d == null ? null : Math.sqrt(d);
      case "log" -> d == null ? null : Math.log(d);
      case "pow" -> {
        Double e = number(arg(args, 1, row));
        yield d == null || e == null ? null : Math.pow(d, e);
      }
      default -> null;
    };
  }

  @Nullable
  private static Object arg(List<InsightsQuery.Expr> args, int i, Map<String, Object> row) {
    return i < args.size() ? args.get(i).eval(row) : null;
  }
}
