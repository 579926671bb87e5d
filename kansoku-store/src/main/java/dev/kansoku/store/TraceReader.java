package dev.kansoku.store;

import dev.kansoku.model.TraceId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Reads whole traces by id (X-Ray BatchGetTraces, the console's trace view). Thread-safe. */
public interface TraceReader {
  /** The trace, assembled by {@link Trace}, or empty when no span of it is stored. */
  Optional<Trace> trace(TraceId traceId);

  /** The traces found, in the order of {@code traceIds}; ids without spans are left out, repeats answered once. */
  List<Trace> traces(Collection<TraceId> traceIds);
}
