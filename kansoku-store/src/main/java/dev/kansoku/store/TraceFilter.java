package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.TraceId;
import java.util.List;

/**
 * A boolean expression over whole traces: what X-Ray filter expressions ({@code service("a") AND
 * NOT fault OR edge("a","b")}) compile to. Leaves test a trace; {@link All}/{@link Any}/{@link Not}
 * combine them. Evaluated by {@link TraceMatcher}. Immutable.
 */
public sealed interface TraceFilter {

  /** Some span in scope satisfies every condition of {@code filter}. */
  record HasSpan(SpanFilter filter, SpanScope scope) implements TraceFilter {
    public HasSpan {
      requireNonNull(filter, "filter");
      requireNonNull(scope, "scope");
    }
  }

  /** The trace's duration (first start to last end) lies in [min, max] nanoseconds. */
  record Duration(long minNanos, long maxNanos) implements TraceFilter {
    public Duration {
      if (minNanos < 0 || maxNanos < minNanos) {
        throw new IllegalArgumentException("duration range: " + minNanos + ".." + maxNanos + " ns (expected: 0 <= min <= max)");
      }
    }
  }

  /** The trace has a call from service {@code from} to service (or remote) {@code to}, as {@link ServiceGraphBuilder} derives edges. */
  record Edge(String from, String to) implements TraceFilter {
    public Edge {
      requireNonNull(from, "from");
      requireNonNull(to, "to");
    }
  }

  /** The trace is this one (X-Ray's {@code id(…)}). */
  record IdIs(TraceId traceId) implements TraceFilter {
    public IdIs {
      requireNonNull(traceId, "traceId");
    }
  }

  record All(List<TraceFilter> filters) implements TraceFilter {
    public All {
      filters = List.copyOf(filters);
    }
  }

  record Any(List<TraceFilter> filters) implements TraceFilter {
    public Any {
      filters = List.copyOf(filters);
      if (filters.isEmpty()) {
        throw new IllegalArgumentException("Any: no alternatives (it would match nothing)");
      }
    }
  }

  record Not(TraceFilter filter) implements TraceFilter {
    public Not {
      requireNonNull(filter, "filter");
    }
  }
}
