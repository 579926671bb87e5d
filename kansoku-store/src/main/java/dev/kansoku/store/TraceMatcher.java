package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanRecord;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Decides whether a trace matches a {@link TraceQuery} and orders the results: the one definition of
 * trace-search semantics. Backends narrow candidates with their indexes, then call {@link #matches};
 * the in-memory store calls it on every trace. A service condition is judged on each span's service
 * in its trace ({@link Trace#services()}), so no backend may decide it from a span's own {@code
 * service.name} alone. Stateless, thread-safe.
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
    Judged j = new Judged(trace);
    if (!q.spans().isEmpty() && !hasSpan(j, q.spans(), q.scope())) {
      return false;
    }
    return q.where() == null || test(q.where(), j);
  }

  /** Evaluates an expression on a trace. */
  public static boolean test(TraceFilter f, Trace trace) {
    requireNonNull(f, "filter");
    return test(f, new Judged(requireNonNull(trace, "trace")));
  }

  private static boolean test(TraceFilter f, Judged j) {
    // Java 17 has no pattern switch; the sealed interface keeps this chain complete by review.
    if (f instanceof TraceFilter.HasSpan h) {
      return hasSpan(j, h.filter(), h.scope());
    }
    if (f instanceof TraceFilter.Duration d) {
      return j.trace.durationNanos() >= d.minNanos() && j.trace.durationNanos() <= d.maxNanos();
    }
    if (f instanceof TraceFilter.IdIs id) {
      return id.traceId().equals(j.trace.traceId());
    }
    if (f instanceof TraceFilter.Edge e) {
      return ServiceGraphBuilder.hasEdge(j.trace, e.from(), e.to());
    }
    if (f instanceof TraceFilter.Not n) {
      return !test(n.filter(), j);
    }
    if (f instanceof TraceFilter.All all) {
      return all.filters().stream().allMatch(x -> test(x, j));
    }
    if (f instanceof TraceFilter.Any any) {
      return any.filters().stream().anyMatch(x -> test(x, j));
    }
    throw new IllegalArgumentException("unknown filter: " + f);
  }

  private static boolean hasSpan(Judged j, SpanFilter filter, SpanScope scope) {
    if (scope == SpanScope.ROOT) {
      SpanRecord root = j.trace.root();
      return filter.test(root, j.service(root, filter));
    }
    for (SpanRecord s : j.trace.spans()) {
      if (filter.test(s, j.service(s, filter))) {
        return true;
      }
    }
    return false;
  }

  /** A trace being judged, with its spans' services worked out once, when a filter first names a service. */
  private static final class Judged {
    final Trace trace;
    @Nullable Map<SpanId, String> services;

    Judged(Trace trace) {
      this.trace = trace;
    }

    /** {@code s}'s service in the trace; its own when {@code filter} names no service, as nothing compares it then. */
    String service(SpanRecord s, SpanFilter filter) {
      if (filter.serviceName() == null) {
        return s.serviceName();
      }
      if (services == null) {
        services = trace.services();
      }
      return services.get(s.spanId());
    }
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
