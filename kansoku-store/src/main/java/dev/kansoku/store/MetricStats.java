package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.model.Quantile;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns metric points into the series of a {@link MetricQuery}: the one definition of the statistics.
 *
 * <ul>
 *   <li>GAUGE and SUM points are samples: SampleCount counts them, Sum adds them, Average is Sum /
 *       SampleCount, Minimum/Maximum are exact, pNN is the nearest-rank percentile (the smallest
 *       sample with at least NN% of the samples at or below it).
 *   <li>HISTOGRAM points contribute their count and sum; Minimum/Maximum use their min/max, else the
 *       bounds of the outermost non-empty buckets; pNN interpolates linearly inside the bucket holding
 *       the rank (buckets of several points are merged on the union of their bounds), clamped to
 *       [min, max] when known.
 *   <li>SUMMARY points contribute count and sum; pNN averages the values of each point's quantile
 *       closest to NN/100.
 * </ul>
 * Stateless, thread-safe.
 */
public final class MetricStats {
  private MetricStats() {}

  /** Whether the point belongs to the query's metric, dimensions and window (not the period). */
  public static boolean selects(MetricQuery q, MetricPoint p) {
    if (!q.namespace().equals(p.namespace()) || !q.name().equals(p.name())) {
      return false;
    }
    if (p.timeNanos() < q.startNanos() || p.timeNanos() >= q.endNanos()) {
      return false;
    }
    if (q.dimensionMatch() == MetricQuery.DimensionMatch.EXACT) {
      return q.dimensions().equals(p.dimensions());
    }
    for (Map.Entry<String, String> e : q.dimensions().entrySet()) {
      if (!e.getValue().equals(p.dimensions().get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  /** The query's series over {@code points}; points the query does not select are ignored. */
  public static List<MetricSeries> aggregate(MetricQuery q, Iterable<MetricPoint> points) {
    requireNonNull(q, "query");
    requireNonNull(points, "points");
    long period = Math.multiplyExact(q.periodSeconds(), 1_000_000_000L);
    Map<Map<String, String>, TreeMap<Long, Period>> byDims = new HashMap<>();
    Map<Map<String, String>, String> units = new HashMap<>();
    for (MetricPoint p : points) {
      if (!selects(q, p)) {
        continue;
      }
      long at = Math.floorDiv(p.timeNanos(), period) * period;
      byDims.computeIfAbsent(p.dimensions(), k -> new TreeMap<>()).computeIfAbsent(at, k -> new Period()).add(p);
      units.putIfAbsent(p.dimensions(), p.unit());
    }
    List<MetricSeries> out = new ArrayList<>();
    byDims.forEach((dims, periods) -> {
      Map<Statistic, List<Double>> values = new LinkedHashMap<>();
      for (Statistic s : q.statistics()) {
        List<Double> v = new ArrayList<>(periods.size());
        for (Period p : periods.values()) {
          v.add(p.value(s));
        }
        values.put(s, v);
      }
      out.add(new MetricSeries(q.namespace(), q.name(), units.get(dims), dims, new ArrayList<>(periods.keySet()), values));
    });
    out.sort(Comparator.comparing(s -> new TreeMap<>(s.dimensions()).toString()));
    return out;
  }

  /** Nearest-rank percentile of samples (sorted in place). */
  public static double percentile(double[] samples, double p) {
    if (samples.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(samples);
    int rank = (int) Math.ceil(p / 100.0 * samples.length);
    return samples[Math.max(0, Math.min(samples.length - 1, rank - 1))];
  }

  /** One period of one series. Confined to {@link #aggregate}. */
  private static final class Period {
    final List<Double> samples = new ArrayList<>();
    final TreeMap<Double, Long> buckets = new TreeMap<>(); // upper bound → count; +Infinity for the overflow bucket
    final List<List<Quantile>> summaries = new ArrayList<>();
    long count;
    double sum;
    double min = Double.NaN;
    double max = Double.NaN;

    void add(MetricPoint p) {
      if (p.kind() == MetricKind.GAUGE || p.kind() == MetricKind.SUM) {
        samples.add(p.value());
        count++;
        sum += p.value();
        observe(p.value(), p.value());
        return;
      }
      count += p.count();
      sum += p.sum();
      if (p.kind() == MetricKind.SUMMARY) {
        summaries.add(p.quantiles());
        for (Quantile q : p.quantiles()) {
          if (q.quantile() == 0) {
            observe(q.value(), Double.NaN);
          } else if (q.quantile() == 1) {
            observe(Double.NaN, q.value());
          }
        }
        return;
      }
      List<Double> bounds = p.bucketBounds();
      List<Long> counts = p.bucketCounts();
      for (int i = 0; i < counts.size(); i++) {
        double upper = i < bounds.size() ? bounds.get(i) : Double.POSITIVE_INFINITY;
        buckets.merge(upper, counts.get(i), Long::sum);
      }
      observe(p.min(), p.max());
    }

    private void observe(double lo, double hi) {
      if (!Double.isNaN(lo)) {
        min = Double.isNaN(min) ? lo : Math.min(min, lo);
      }
      if (!Double.isNaN(hi)) {
        max = Double.isNaN(max) ? hi : Math.max(max, hi);
      }
    }

    double value(Statistic s) {
      return switch (s.kind()) {
        case SUM -> sum;
        case SAMPLE_COUNT -> count;
        case AVERAGE -> count == 0 ? Double.NaN : sum / count;
        case MINIMUM -> Double.isNaN(min) ? bucketEdge(true) : min;
        case MAXIMUM -> Double.isNaN(max) ? bucketEdge(false) : max;
        case PERCENTILE -> percentile(s.percentile());
      };
    }

    private double percentile(double p) {
      if (!buckets.isEmpty()) {
        return histogramPercentile(p);
      }
      if (!summaries.isEmpty()) {
        double total = 0;
        for (List<Quantile> qs : summaries) {
          Quantile best = null;
          for (Quantile q : qs) {
            if (best == null || Math.abs(q.quantile() - p / 100) < Math.abs(best.quantile() - p / 100)) {
              best = q;
            }
          }
          total += best == null ? Double.NaN : best.value();
        }
        return total / summaries.size();
      }
      double[] v = new double[samples.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = samples.get(i);
      }
      return MetricStats.percentile(v, p);
    }

    private double histogramPercentile(double p) {
      long total = 0;
      for (long c : buckets.values()) {
        total += c;
      }
      if (total == 0) {
        return Double.NaN;
      }
      double rank = p / 100.0 * total;
      long cumulative = 0;
      Double lower = null;
      double result = Double.NaN;
      for (Map.Entry<Double, Long> b : buckets.entrySet()) {
        long c = b.getValue();
        if (c > 0 && cumulative + c >= rank) {
          double lo = lower != null ? lower : !Double.isNaN(min) ? min : Math.min(0, b.getKey());
          double hi = b.getKey().isInfinite() ? (!Double.isNaN(max) ? max : lo) : b.getKey();
          result = lo + (hi - lo) * Math.max(0, rank - cumulative) / c;
          break;
        }
        cumulative += c;
        lower = b.getKey();
      }
      if (!Double.isNaN(min)) {
        result = Math.max(result, min);
      }
      if (!Double.isNaN(max)) {
        result = Math.min(result, max);
      }
      return result;
    }

    private double bucketEdge(boolean lowest) {
      Double previous = null;
      Double found = null;
      for (Map.Entry<Double, Long> b : buckets.entrySet()) {
        if (b.getValue() > 0) {
          if (lowest) {
            return previous != null ? previous : Math.min(0, b.getKey());
          }
          found = b.getKey().isInfinite() ? previous : b.getKey();
        }
        previous = b.getKey();
      }
      return found == null ? Double.NaN : found;
    }
  }
}
