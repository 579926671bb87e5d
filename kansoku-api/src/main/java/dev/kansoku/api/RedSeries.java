package dev.kansoku.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.store.ServiceGraph;
import dev.kansoku.store.ServiceGraphReader;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Rate, errors and duration per service and period, derived from spans (the console's RED charts):
 * the service graph of each period, so a service's numbers are those of its node (the spans through
 * which it was entered) and agree with the service map and X-Ray's GetServiceGraph.
 *
 * <p>Percentiles come from the graph's latency histogram, interpolated linearly inside the bucket
 * that holds the rank; they are as coarse as its bounds (1, 2, 5, 10, 20, 50 ms …), which is enough
 * to see a latency shift and costs no per-span storage.
 */
final class RedSeries {
  static final int MAX_PERIODS = 1_440;

  private final ServiceGraphReader graphs;

  RedSeries(ServiceGraphReader graphs) {
    this.graphs = graphs;
  }

  /** The series of [{@code startNanos}, {@code endNanos}) in periods aligned to multiples of {@code period}. */
  ObjectNode query(long startNanos, long endNanos, Duration period, @Nullable String service) {
    long p = period.toNanos();
    if (p < 1_000_000_000L) {
      throw new IllegalArgumentException("period: " + period.toMillis() + "ms (expected: at least 1s)");
    }
    long first = Math.floorDiv(startNanos, p) * p;
    int periods = (int) Math.min(Integer.MAX_VALUE, Math.max(1, (endNanos - first + p - 1) / p));
    if (periods > MAX_PERIODS) {
      throw new IllegalArgumentException("period: " + period.toSeconds() + "s gives " + periods + " periods (expected: at most "
          + MAX_PERIODS + "; use a longer period or a shorter window)");
    }
    Map<String, Acc> byService = new TreeMap<>();
    ObjectNode out = QueryJson.MAPPER.createObjectNode().put("periodSeconds", period.toSeconds());
    ArrayNode times = out.putArray("timestampsMs");
    for (int i = 0; i < periods; i++) {
      long from = first + i * p;
      times.add(from / 1_000_000L);
      for (ServiceGraph.Node n : graphs.graph(from, from + p).nodes()) {
        if (service == null || service.equals(n.name())) {
          byService.computeIfAbsent(n.name(), k -> new Acc(n.remote(), periods)).set(i, n.stats(), p);
        }
      }
    }
    ArrayNode services = out.putArray("services");
    byService.forEach((name, acc) -> acc.write(services.addObject().put("service", name)));
    return out;
  }

  /** One service's columns; a period without requests has nulls for its durations. */
  private static final class Acc {
    final boolean remote;
    final Double[][] columns;

    Acc(boolean remote, int periods) {
      this.remote = remote;
      this.columns = new Double[COLUMNS.size()][periods];
      for (int c = 0; c < COUNTS; c++) { // counts are 0 in an empty period; durations stay null
        Arrays.fill(columns[c], 0.0);
      }
    }

    void set(int i, ServiceGraph.RequestStats s, long periodNanos) {
      columns[0][i] = s.requests() * 1e9 / periodNanos;
      columns[1][i] = (double) s.errors();
      columns[2][i] = (double) s.faults();
      columns[3][i] = (double) s.throttles();
      if (s.requests() > 0) {
        columns[4][i] = s.averageMillis();
        columns[5][i] = percentile(s, 0.50);
        columns[6][i] = percentile(s, 0.90);
        columns[7][i] = percentile(s, 0.99);
      }
    }

    void write(ObjectNode o) {
      o.put("remote", remote);
      for (int c = 0; c < COLUMNS.size(); c++) {
        ArrayNode a = o.putArray(COLUMNS.get(c));
        for (Double v : columns[c]) {
          if (v == null) {
            a.addNull();
          } else {
            a.add(Math.round(v * 1000) / 1000.0);
          }
        }
      }
    }
  }

  private static final List<String> COLUMNS =
      List.of("requestsPerSecond", "errors", "faults", "throttles", "averageMs", "p50Ms", "p90Ms", "p99Ms");
  private static final int COUNTS = 4;

  /** The q-quantile in milliseconds, interpolated inside its histogram bucket. */
  static double percentile(ServiceGraph.RequestStats s, double q) {
    List<Long> bounds = ServiceGraph.RequestStats.BUCKET_BOUNDS_MILLIS;
    List<Long> h = s.histogram();
    double rank = q * s.requests();
    long seen = 0;
    for (int i = 0; i < h.size(); i++) {
      long count = h.get(i);
      if (count > 0 && seen + count >= rank) {
        if (i == bounds.size()) {
          return bounds.get(i - 1); // above the last bound: all we know is "more than"
        }
        double lo = i == 0 ? 0 : bounds.get(i - 1);
        double hi = bounds.get(i);
        return lo + (hi - lo) * Math.max(0, rank - seen) / count;
      }
      seen += count;
    }
    return 0;
  }
}
