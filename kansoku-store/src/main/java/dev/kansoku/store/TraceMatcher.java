package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.SpanRecord;
import java.util.Comparator;
import java.util.List;

/**
 * Decides whether a trace matches a {@link TraceQuery} and orders the results: the one definition of
 * trace-search semantics. Backends narrow candidates with their indexes, then call {@link #matches};
 * the in-memory store calls it on every trace. Stateless, thread-safe.
 */
public final class TraceMatcher {
  private TraceMatcher() {}

  public static boolean matches(TraceQuery q, Trace trace) {
    requireNonNull(q, "query");
    requireNonNull(trace, "trace");
    long start = trace.startNanos();
    if (start < q.startNanos() || start >= q.endNanos()) {
      return false;
    }
    long d = trace.durationNanos();
    if (d < q.minDurationNanos() || d > q.maxDurationNanos()) {
      return false;
    }
    if (!q.spans().isEmpty() && !hasSpan(trace, q.spans(), q.scope())) {
      return false;
    }
    return q.where() == null || test(q.where(), trace);
  }

  /** Evaluates an expression on a trace. */
  public static boolean test(TraceFilter f, Trace trace) {
    // Java 17 has no pattern switch; the sealed interface keeps this chain complete by review.
    if (f instanceof TraceFilter.HasSpan h) {
      return hasSpan(trace, h.filter(), h.scope());
    }
    if (f instanceof TraceFilter.Duration d) {
      return trace.durationNanos() >= d.minNanos() && trace.durationNanos() <= d.maxNanos();
    }
    if (f instanceof TraceFilter.IdIs id) {
      return id.traceId().equals(trace.traceId());
    }
    if (f instanceof TraceFilter.Edge e) {
      return ServiceGraphBuilder.hasEdge(trace, e.from(), e.to());
    }
    if (f instanceof TraceFilter.Not n) {
      return !test(n.filter(), trace);
    }
    if (f instanceof TraceFilter.All all) {
      return all.filters().stream().allMatch(x -> test(x, trace));
    }
    if (f instanceof TraceFilter.Any any) {
      return any.filters().stream().anyMatch(x -> test(x, trace));
    }
    throw new IllegalArgumentException("unknown filter: " + f);
  }

  private static boolean hasSpan(Trace trace, SpanFilter filter, SpanScope scope) {
    if (scope == SpanScope.ROOT) {
      return filter.test(trace.root());
    }
    for (SpanRecord s : trace.spans()) {
      if (filter.test(s)) {
        return true;
      }
    }
    return false;
  }

  /** The comparator for a query's order; ties broken by trace id so pages are stable. */
  public static Comparator<TraceSummary> order(TraceQuery.Order order) {
    Comparator<TraceSummary> byId = Comparator.comparing(TraceSummary::traceId);
    return switch (order) {
      case NEWEST_FIRST -> Comparator.comparingLong(TraceSummary::startNanos).reversed().thenComparing(byId);
      case OLDEST_FIRST -> Comparator.comparingLong(TraceSummary::startNanos).thenComparing(byId);
      case SLOWEST_FIRST -> Comparator.comparingLong(TraceSummary::durationNanos).reversed()
          .thenComparing(Comparator.comparingLong(TraceSummary::startNanos).reversed()).thenComparing(byId);
    };
  }

  /** Sorts and truncates summaries of matching traces as the query asks. */
  public static List<TraceSummary> finish(TraceQuery q, List<TraceSummary> matching) {
    return matching.stream().sorted(order(q.order())).limit(q.limit()).toList();
  }
}
