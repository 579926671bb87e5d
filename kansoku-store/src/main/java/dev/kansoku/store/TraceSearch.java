package dev.kansoku.store;

import java.util.List;

/**
 * Finds traces (X-Ray GetTraceSummaries, the console's trace search). Thread-safe. Every backend
 * answers as {@link TraceMatcher} would over the stored traces: it may use indexes to find
 * candidates, but the final word on a match is the shared matcher's, so backends cannot drift.
 */
public interface TraceSearch {
  /** Summaries of the matching traces, in {@link TraceQuery#order()}, at most {@link TraceQuery#limit()}. */
  List<TraceSummary> search(TraceQuery query);
}
