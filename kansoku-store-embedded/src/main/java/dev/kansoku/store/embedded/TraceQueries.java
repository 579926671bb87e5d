package dev.kansoku.store.embedded;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.RedQuery;
import dev.kansoku.store.RedRollup;
import dev.kansoku.store.RedSeries;
import dev.kansoku.store.ServiceGraph;
import dev.kansoku.store.ServiceGraphBuilder;
import dev.kansoku.store.Trace;
import dev.kansoku.store.TraceMatcher;
import dev.kansoku.store.TraceQuery;
import dev.kansoku.store.TraceReader;
import dev.kansoku.store.TraceSummary;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The span roles: traces by id (through each block's trace-id index and the heads' fingerprints),
 * trace search, RED from the rollups, and the service graph. Reads one {@link State} per call and
 * never blocks writers. Thread-safe.
 */
final class TraceQueries {
  private final Contents contents;
  private final Supplier<State> opened;

  /** {@code opened} gives the current state, opening the store first. */
  TraceQueries(Contents contents, Supplier<State> opened) {
    this.contents = contents;
    this.opened = opened;
  }

  /** Every stored copy of the trace's spans, oldest block first, heads last (later copies win in Trace). */
  private List<SpanRecord> spansOf(State st, TraceId id) {
    long f = contents.floor;
    List<SpanRecord> out = new ArrayList<>();
    for (Block b : st.spans()) {
      for (int g : b.groupsOf(id)) {
        for (SpanRecord s : contents.spanGroup(b, g)) {
          if (s.traceId().equals(id) && s.startNanos() >= f) {
            out.add(s);
          }
        }
      }
    }
    for (Head h : st.heads()) {
      List<SpanRecord> l = new ArrayList<>();
      h.spansOf(id, l);
      for (SpanRecord s : l) {
        if (s.startNanos() >= f) {
          out.add(s);
        }
      }
    }
    return out;
  }

  /** The trace reader role. */
  final class Reader implements TraceReader {
    @Override
    public Optional<Trace> trace(TraceId traceId) {
      requireNonNull(traceId, "traceId");
      List<SpanRecord> spans = spansOf(opened.get(), traceId);
      return spans.isEmpty() ? Optional.empty() : Optional.of(new Trace(traceId, spans));
    }

    @Override
    public List<Trace> traces(Collection<TraceId> traceIds) {
      requireNonNull(traceIds, "traceIds");
      State st = opened.get();
      List<Trace> out = new ArrayList<>();
      for (TraceId id : new LinkedHashSet<>(traceIds)) {
        List<SpanRecord> spans = spansOf(st, id);
        if (!spans.isEmpty()) {
          out.add(new Trace(id, spans));
        }
      }
      return out;
    }
  }

  /** Calls {@code sink} with every retained span starting in [from, to), blocks then heads. */
  private void forEachSpan(State st, long from, long to, Consumer<SpanRecord> sink) {
    long lo = Math.max(from, contents.floor);
    Consumer<SpanRecord> filtered = s -> {
      if (s.startNanos() >= lo && s.startNanos() < to) {
        sink.accept(s);
      }
    };
    for (Block b : st.spans()) {
      if (!b.overlaps(lo, to)) {
        continue;
      }
      for (int g = 0; g < b.groups.length; g++) {
        if (b.groups[g].maxTime() >= lo && b.groups[g].minTime() < to) {
          contents.spanGroup(b, g).forEach(filtered);
        }
      }
    }
    for (Head h : st.heads()) {
      h.forEachSpan(filtered);
    }
  }

  /** Spans that may be scanned as one unit: a block's row group or a head, with their start-time range. */
  private record SpanSource(long minTime, long maxTime, java.util.function.Supplier<List<SpanRecord>> spans) {}

  /**
   * Candidates are the traces of spans starting in the window (a matching trace's earliest span does);
   * each is assembled through the trace-id index and judged whole by {@link TraceMatcher}. Sources
   * are visited newest (or oldest) first, so with a limit the scan stops as soon as no unvisited
   * source can hold a trace that would displace the ones found: a search for the latest 20 reads a
   * few groups, not the whole window. {@code SLOWEST_FIRST} must judge every candidate.
   */
  List<TraceSummary> search(TraceQuery q) {
    requireNonNull(q, "query");
    State st = opened.get();
    long lo = Math.max(q.startNanos(), contents.floor);
    long hi = q.endNanos();
    List<SpanSource> sources = new ArrayList<>();
    for (Block b : st.spans()) {
      if (!b.overlaps(lo, hi)) {
        continue;
      }
      for (int g = 0; g < b.groups.length; g++) {
        Block.Group gr = b.groups[g];
        if (gr.maxTime() >= lo && gr.minTime() < hi) {
          int group = g;
          sources.add(new SpanSource(gr.minTime(), gr.maxTime(), () -> contents.spanGroup(b, group)));
        }
      }
    }
    for (Head h : st.heads()) {
      for (Frame f : h.spanFrames()) {
        if (f.maxTime >= lo && f.minTime < hi) {
          sources.add(new SpanSource(f.minTime, f.maxTime, f::spans));
        }
      }
    }
    boolean newest = q.order() == TraceQuery.Order.NEWEST_FIRST;
    boolean oldest = q.order() == TraceQuery.Order.OLDEST_FIRST;
    if (newest) {
      sources.sort(Comparator.comparingLong(SpanSource::maxTime).reversed());
    } else if (oldest) {
      sources.sort(Comparator.comparingLong(SpanSource::minTime));
    }
    // The starts of the best `limit` matches so far; its head is the one the next match must beat.
    Comparator<Long> worstFirst = newest ? Comparator.naturalOrder() : Comparator.reverseOrder();
    PriorityQueue<Long> best = new PriorityQueue<>(worstFirst);
    Set<TraceId> seen = new HashSet<>();
    List<TraceSummary> matching = new ArrayList<>();
    for (SpanSource src : sources) {
      if (best.size() >= q.limit() && ((newest && src.maxTime() < best.peek())
          || (oldest && src.minTime() > best.peek()))) {
        break;
      }
      for (SpanRecord s : src.spans().get()) {
        if (s.startNanos() < lo || s.startNanos() >= hi || !seen.add(s.traceId())) {
          continue;
        }
        List<SpanRecord> spans = spansOf(st, s.traceId());
        Trace t = new Trace(s.traceId(), spans);
        if (TraceMatcher.matches(q, t)) {
          TraceSummary summary = t.summary();
          matching.add(summary);
          if (newest || oldest) {
            best.add(summary.startNanos());
            if (best.size() > q.limit()) {
              best.poll();
            }
          }
        }
      }
    }
    return TraceMatcher.finish(q, matching);
  }

  /** RED from the rollups of the blocks and heads overlapping the window: no span is decoded. */
  List<RedSeries> red(RedQuery q) {
    requireNonNull(q, "query");
    State st = opened.get();
    List<RedRollup> rollups = new ArrayList<>();
    for (Block b : st.spans()) {
      if (b.overlaps(q.startNanos(), q.endNanos()) && b.red != null) {
        rollups.add(b.red);
      }
    }
    for (Head h : st.heads()) {
      rollups.add(h.red);
    }
    return RedRollup.series(q, rollups, contents.floor);
  }

  ServiceGraph graph(long startNanos, long endNanos) {
    ServiceGraphBuilder b = new ServiceGraphBuilder(startNanos, endNanos);
    State st = opened.get();
    Set<TraceId> ids = new HashSet<>();
    forEachSpan(st, startNanos, endNanos, s -> ids.add(s.traceId()));
    for (TraceId id : ids) {
      List<SpanRecord> spans = spansOf(st, id);
      if (!spans.isEmpty()) {
        b.add(new Trace(id, spans));
      }
    }
    return b.build();
  }
}
