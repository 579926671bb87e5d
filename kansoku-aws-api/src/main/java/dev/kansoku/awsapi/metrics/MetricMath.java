package dev.kansoku.awsapi.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * A subset of CloudWatch metric math over GetMetricData's query ids: numbers, ids, {@code + - * / ^},
 * comparisons and AND/OR (1 or 0), parentheses, and the functions ABS, CEIL, FLOOR, LOG, LOG10,
 * SQRT, SUM, AVG, MIN, MAX, METRICS, FILL, RUNNING_SUM, DIFF, RATE. As in CloudWatch, a series
 * missing a timestamp counts as 0 in arithmetic with another that has it, a division by zero drops
 * the point, SUM/AVG/MIN/MAX of one series are scalars and of several series a series, and a scalar
 * result is reported at every timestamp the metrics have. Series are keyed by period start (nanos).
 */
final class MetricMath {
  private MetricMath() {}

  /** An invalid expression; the message says what and where. */
  static final class MathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MathException(String message) {
      super(message, null, false, false);
    }
  }

  /** Scalar, one series, or several (METRICS()). */
  private sealed interface Value permits Scalar, Series, SeriesList, Filter {}

  private record Scalar(double v) implements Value {}

  private record Series(TreeMap<Long, Double> points) implements Value {}

  private record SeriesList(List<TreeMap<Long, Double>> list) implements Value {}

  /** METRICS("text")'s argument: the metric queries whose id contains the text. */
  private record Filter(SeriesList matches) implements Value {}

  /** The ids of one GetMetricData call: MetricStat results, and expressions evaluated on demand. */
  static final class Context {
    private final Map<String, TreeMap<Long, Double>> metrics;
    private final Function<String, String> expressionOf;
    private final Map<String, TreeMap<Long, Double>> done = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();
    private final TreeSet<Long> allTimestamps = new TreeSet<>();

    Context(Map<String, TreeMap<Long, Double>> metrics, Function<String, String> expressionOf) {
      this.metrics = metrics;
      this.expressionOf = expressionOf;
      metrics.values().forEach(s -> allTimestamps.addAll(s.keySet()));
    }

    /** The series of expression query {@code id}. */
    TreeMap<Long, Double> series(String id) {
      TreeMap<Long, Double> known = metrics.get(id);
      if (known != null) {
        return known;
      }
      TreeMap<Long, Double> d = done.get(id);
      if (d != null) {
        return d;
      }
      String expr = expressionOf.apply(id);
      if (expr == null) {
        throw new MathException("unknown id " + id);
      }
      if (!evaluating.add(id)) {
        throw new MathException("circular reference through " + id);
      }
      Value v = new Parser(expr, this).parse();
      evaluating.remove(id);
      TreeMap<Long, Double> out;
      if (v instanceof Scalar s) {
        out = new TreeMap<>();
        for (long t : allTimestamps) {
          putFinite(out, t, s.v());
        }
      } else if (v instanceof Series s) {
        out = s.points();
      } else {
        throw new MathException("the expression " + expr + " returns several time series; wrap it in SUM, AVG, MIN "
            + "or MAX");
      }
      done.put(id, out);
      return out;
    }
  }

  /** Recursive descent, evaluating as it parses. Not thread-safe; one per expression. */
  private static final class Parser {
    private final String src;
    private final Context ctx;
    private int pos;

    Parser(String src, Context ctx) {
      this.src = src;
      this.ctx = ctx;
    }

    Value parse() {
      Value v = or();
      skip();
      if (pos < src.length()) {
        throw error("unexpected '" + src.charAt(pos) + "'");
      }
      return v;
    }

    private MathException error(String what) {
      return new MathException(what + " at position " + (pos + 1) + " of " + src);
    }

    private void skip() {
      while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
        pos++;
      }
    }

    private boolean eat(String token) {
      skip();
      if (src.regionMatches(true, pos, token, 0, token.length())) {
        boolean word = Character.isLetter(token.charAt(0));
        int after = pos + token.length();
        if (word && after < src.length() && Character.isLetterOrDigit(src.charAt(after))) {
          return false;
        }
        pos = after;
        return true;
      }
      return false;
    }

    private Value or() {
      Value v = and();
      while (eat("||") || eat("OR")) {
        v = binary(v, and(), (a, b) -> a != 0 || b != 0 ? 1 : 0);
      }
      return v;
    }

    private Value and() {
      Value v = comparison();
      while (eat("&&") || eat("AND")) {
        v = binary(v, comparison(), (a, b) -> a != 0 && b != 0 ? 1 : 0);
      }
      return v;
    }

    private Value comparison() {
      Value v = additive();
      for (;;) {
        if (eat("==")) {
          v = binary(v, additive(), (a, b) -> a == b ? 1 : 0);
        } else if (eat("!=")) {
          v = binary(v, additive(), (a, b) -> a != b ? 1 : 0);
        } else if (eat("<=")) {
          v = binary(v, additive(), (a, b) -> a <= b ? 1 : 0);
        } else if (eat(">=")) {
          v = binary(v, additive(), (a, b) -> a >= b ? 1 : 0);
        } else if (eat("<")) {
          v = binary(v, additive(), (a, b) -> a < b ? 1 : 0);
        } else if (eat(">")) {
          v = binary(v, additive(), (a, b) -> a > b ? 1 : 0);
        } else {
          return v;
        }
      }
    }

    private Value additive() {
      Value v = multiplicative();
      for (;;) {
        if (eat("+")) {
          v = binary(v, multiplicative(), Double::sum);
        } else if (eat("-")) {
          v = binary(v, multiplicative(), (a, b) -> a - b);
        } else {
          return v;
        }
      }
    }

    private Value multiplicative() {
      Value v = unary();
      for (;;) {
        if (eat("*")) {
          v = binary(v, unary(), (a, b) -> a * b);
        } else if (eat("/")) {
          v = binary(v, unary(), (a, b) -> a / b); // x/0 is infinite or NaN and dropped by putFinite
        } else {
          return v;
        }
      }
    }

    private Value unary() {
      if (eat("-")) {
        return map(unary(), a -> -a);
      }
      Value base = primary();
      if (eat("^")) {
        return binary(base, unary(), Math::pow);
      }
      return base;
    }

    private Value primary() {
      skip();
      if (pos >= src.length()) {
        throw error("unexpected end");
      }
      char c = src.charAt(pos);
      if (c == '(') {
        pos++;
        Value v = or();
        if (!eat(")")) {
          throw error("missing ')'");
        }
        return v;
      }
      if (Character.isDigit(c) || c == '.') {
        int start = pos;
        while (pos < src.length() && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.'
            || src.charAt(pos) == 'e' || src.charAt(pos) == 'E'
            || ((src.charAt(pos) == '-' || src.charAt(pos) == '+') && (src.charAt(pos - 1) == 'e'
                || src.charAt(pos - 1) == 'E')))) {
          pos++;
        }
        try {
          return new Scalar(Double.parseDouble(src.substring(start, pos)));
        } catch (NumberFormatException e) {
          pos = start;
          throw error("bad number " + src.substring(start, Math.min(src.length(), start + 20)));
        }
      }
      if (Character.isLetter(c)) {
        int start = pos;
        while (pos < src.length() && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
          pos++;
        }
        String name = src.substring(start, pos);
        if (eat("(")) {
          List<Value> args = new ArrayList<>();
          if (!eat(")")) {
            do {
              args.add(argument());
            } while (eat(","));
            if (!eat(")")) {
              throw error("missing ')' after the arguments of " + name);
            }
          }
          return call(name.toUpperCase(java.util.Locale.ROOT), args);
        }
        try {
          return new Series(ctx.series(name));
        } catch (MathException e) {
          throw e.getMessage().startsWith("unknown id") ? error("unknown id " + name) : e;
        }
      }
      throw error("unexpected '" + c + "'");
    }

    /** A function argument: an expression, or a string literal (METRICS("filter")). */
    private Value argument() {
      skip();
      if (pos < src.length() && (src.charAt(pos) == '"' || src.charAt(pos) == '\'')) {
        char q = src.charAt(pos);
        int end = src.indexOf(q, pos + 1);
        if (end < 0) {
          throw error("unterminated string");
        }
        String s = src.substring(pos + 1, end);
        pos = end + 1;
        return new Filter(new SeriesList(ctx.metrics.entrySet().stream().filter(e -> e.getKey().contains(s))
            .map(Map.Entry::getValue).toList()));
      }
      return or();
    }

    private Value call(String fn, List<Value> args) {
      switch (fn) {
        case "METRICS": {
          if (args.size() > 1) {
            throw error("METRICS takes at most one argument");
          }
          if (args.size() == 1 && args.get(0) instanceof Filter f) {
            return f.matches();
          }
          if (!args.isEmpty()) {
            throw error("METRICS takes a string filter");
          }
          return new SeriesList(new ArrayList<>(ctx.metrics.values()));
        }
        case "ABS": return map(one(fn, args), Math::abs);
        case "CEIL": return map(one(fn, args), Math::ceil);
        case "FLOOR": return map(one(fn, args), Math::floor);
        case "LOG": return map(one(fn, args), Math::log);
        case "LOG10": return map(one(fn, args), Math::log10);
        case "SQRT": return map(one(fn, args), Math::sqrt);
        case "SUM": return aggregate(fn, args, Double::sum, false);
        case "AVG": return aggregate(fn, args, Double::sum, true);
        case "MIN": return aggregate(fn, args, Math::min, false);
        case "MAX": return aggregate(fn, args, Math::max, false);
        case "FILL": {
          if (args.size() != 2 || !(args.get(1) instanceof Scalar s)) {
            throw error("FILL takes a series and a number");
          }
          return mapSeries(args.get(0), in -> {
            TreeMap<Long, Double> out = new TreeMap<>(in);
            ctx.allTimestamps.forEach(t -> out.putIfAbsent(t, s.v()));
            return out;
          });
        }
        case "RUNNING_SUM":
          return mapSeries(one(fn, args), in -> {
            TreeMap<Long, Double> out = new TreeMap<>();
            double sum = 0;
            for (Map.Entry<Long, Double> e : in.entrySet()) {
              sum += e.getValue();
              out.put(e.getKey(), sum);
            }
            return out;
          });
        case "DIFF":
        case "RATE": {
          boolean rate = fn.equals("RATE");
          return mapSeries(one(fn, args), in -> {
            TreeMap<Long, Double> out = new TreeMap<>();
            Map.Entry<Long, Double> prev = null;
            for (Map.Entry<Long, Double> e : in.entrySet()) {
              if (prev != null) {
                double d = e.getValue() - prev.getValue();
                putFinite(out, e.getKey(), rate ? d / ((e.getKey() - prev.getKey()) / 1e9) : d);
              }
              prev = e;
            }
            return out;
          });
        }
        default:
          throw error("unsupported function " + fn);
      }
    }

    private Value one(String fn, List<Value> args) {
      if (args.size() != 1) {
        throw error(fn + " takes one argument, not " + args.size());
      }
      return args.get(0);
    }

    /** Of one series: a scalar over its points; of several series or arguments: a series, point by point. */
    private Value aggregate(String fn, List<Value> args, DoubleBinaryOperator op, boolean average) {
      if (args.isEmpty()) {
        throw error(fn + " needs an argument");
      }
      if (args.size() == 1 && args.get(0) instanceof Series s) {
        if (s.points().isEmpty()) {
          return new Scalar(Double.NaN);
        }
        double acc = Double.NaN;
        for (double v : s.points().values()) {
          acc = Double.isNaN(acc) ? v : op.applyAsDouble(acc, v);
        }
        return new Scalar(average ? acc / s.points().size() : acc);
      }
      if (args.size() == 1 && args.get(0) instanceof Scalar s) {
        return s;
      }
      List<TreeMap<Long, Double>> series = new ArrayList<>();
      for (Value a : args) {
        if (a instanceof SeriesList l) {
          series.addAll(l.list());
        } else if (a instanceof Series s) {
          series.add(s.points());
        } else {
          throw error(fn + " of several arguments takes series");
        }
      }
      TreeMap<Long, double[]> acc = new TreeMap<>(); // {value, count}
      for (TreeMap<Long, Double> s : series) {
        s.forEach((t, v) -> acc.merge(t, new double[] {v, 1},
            (a, b) -> new double[] {op.applyAsDouble(a[0], b[0]), a[1] + b[1]}));
      }
      TreeMap<Long, Double> out = new TreeMap<>();
      acc.forEach((t, a) -> putFinite(out, t, average ? a[0] / a[1] : a[0]));
      return new Series(out);
    }

    private Value mapSeries(Value v, Function<TreeMap<Long, Double>, TreeMap<Long, Double>> f) {
      if (v instanceof Series s) {
        return new Series(f.apply(s.points()));
      }
      if (v instanceof SeriesList l) {
        return new SeriesList(l.list().stream().map(f).toList());
      }
      throw error("expected a time series");
    }

    private Value map(Value v, DoubleUnaryOperator op) {
      if (v instanceof Scalar s) {
        return new Scalar(op.applyAsDouble(s.v()));
      }
      return mapSeries(v, in -> {
        TreeMap<Long, Double> out = new TreeMap<>();
        in.forEach((t, x) -> putFinite(out, t, op.applyAsDouble(x)));
        return out;
      });
    }

    private Value binary(Value a, Value b, DoubleBinaryOperator op) {
      if (a instanceof Filter || b instanceof Filter) {
        throw error("a string is only allowed in METRICS(...)");
      }
      if (a instanceof Scalar x && b instanceof Scalar y) {
        return new Scalar(op.applyAsDouble(x.v(), y.v()));
      }
      if (a instanceof SeriesList l) {
        return new SeriesList(l.list().stream().map(s -> ((Series) binary(new Series(s), b, op)).points()).toList());
      }
      if (b instanceof SeriesList l) {
        return new SeriesList(l.list().stream().map(s -> ((Series) binary(a, new Series(s), op)).points()).toList());
      }
      TreeMap<Long, Double> out = new TreeMap<>();
      if (a instanceof Scalar x) {
        ((Series) b).points().forEach((t, v) -> putFinite(out, t, op.applyAsDouble(x.v(), v)));
      } else if (b instanceof Scalar y) {
        ((Series) a).points().forEach((t, v) -> putFinite(out, t, op.applyAsDouble(v, y.v())));
      } else {
        TreeMap<Long, Double> l = ((Series) a).points();
        TreeMap<Long, Double> r = ((Series) b).points();
        TreeSet<Long> ts = new TreeSet<>(l.keySet());
        ts.addAll(r.keySet());
        for (long t : ts) {
          putFinite(out, t, op.applyAsDouble(l.getOrDefault(t, 0.0), r.getOrDefault(t, 0.0)));
        }
      }
      return new Series(out);
    }
  }

  private static void putFinite(TreeMap<Long, Double> out, long t, double v) {
    if (Double.isFinite(v)) {
      out.put(t, v == 0 ? 0.0 : v); // no -0.0 on the wire
    }
  }
}
