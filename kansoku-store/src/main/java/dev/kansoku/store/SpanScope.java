package dev.kansoku.store;

/** Which spans of a trace a {@link SpanFilter} is tried on. */
public enum SpanScope {
  /** Only the root span (X-Ray's segment-level {@code http.url}, {@code responsetime}). */
  ROOT,
  /** Any span of the trace. */
  ANY
}
