package dev.kansoku.pipeline;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/** Counting, merging and splitting of trace batches; see {@link Signal}. */
final class TraceBatches {
  static final NestedBatches<ExportTraceServiceRequest, ResourceSpans, ScopeSpans, Span> SHAPE = new NestedBatches<>(
      ExportTraceServiceRequest::getResourceSpansList, ResourceSpans::getScopeSpansList, ScopeSpans::getSpansList,
      (rs, scopes) -> rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes).build(),
      (ss, spans) -> ss.toBuilder().clearSpans().addAllSpans(spans).build(),
      resources -> ExportTraceServiceRequest.newBuilder().addAllResourceSpans(resources).build());

  private TraceBatches() {}
}
