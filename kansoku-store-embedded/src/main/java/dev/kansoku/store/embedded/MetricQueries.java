package dev.kansoku.store.embedded;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.MetricPoint;
import dev.kansoku.store.MetricQuery;
import dev.kansoku.store.MetricSearch;
import dev.kansoku.store.MetricSeries;
import dev.kansoku.store.MetricStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Metric queries: the points of one metric in the window, from the blocks whose name lists hold it
 * and from the heads, aggregated by {@link MetricStats} (GetMetricData semantics). Thread-safe.
 */
final class MetricQueries implements MetricSearch {
  private final Contents contents;
  private final Supplier<State> opened;

  /** {@code opened} gives the current state, opening the store first. */
  MetricQueries(Contents contents, Supplier<State> opened) {
    this.contents = contents;
    this.opened = opened;
  }

  @Override
  public List<MetricSeries> query(MetricQuery q) {
    requireNonNull(q, "query");
    State st = opened.get();
    long f = contents.floor;
    long lo = Math.max(q.startNanos(), f);
    List<MetricPoint> window = new ArrayList<>();
    Consumer<MetricPoint> take = p -> {
      if (p.timeNanos() >= lo && p.timeNanos() < q.endNanos() && p.namespace().equals(q.namespace())
          && p.name().equals(q.name())) {
        window.add(p);
      }
    };
    for (Block b : st.metrics()) {
      if (!b.overlaps(lo, q.endNanos()) || !hasName(b, q.namespace(), q.name())) {
        continue;
      }
      for (int g = 0; g < b.groups.length; g++) {
        if (b.groups[g].maxTime() >= lo && b.groups[g].minTime() < q.endNanos()) {
          contents.pointGroup(b, g).forEach(take);
        }
      }
    }
    for (Head h : st.heads()) {
      h.forEachPoint(take);
    }
    return MetricStats.aggregate(q, window);
  }

  private static boolean hasName(Block b, String a, String c) {
    for (String[] t : b.names) {
      if (t[0].equals(a) && t[1].equals(c)) {
        return true;
      }
    }
    return false;
  }
}
