package dev.kansoku.pipeline;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/** Counting, merging and splitting of trace batches; see {@link Signal}. */
final class TraceBatches {
  private TraceBatches() {}

  static int count(ExportTraceServiceRequest req) {
    int n = 0;
    for (ResourceSpans rs : req.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        n += ss.getSpansCount();
      }
    }
    return n;
  }

  static ExportTraceServiceRequest merge(List<ExportTraceServiceRequest> batches) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (ExportTraceServiceRequest part : batches) {
      b.addAllResourceSpans(part.getResourceSpansList());
    }
    return b.build();
  }

  static List<ExportTraceServiceRequest> split(ExportTraceServiceRequest req, int max) {
    if (count(req) <= max) {
      return List.of(req);
    }
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    ExportTraceServiceRequest.Builder batch = ExportTraceServiceRequest.newBuilder();
    int inBatch = 0;
    for (ResourceSpans rs : req.getResourceSpansList()) {
      ResourceSpans.Builder rsPart = null;
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        ScopeSpans.Builder ssPart = null;
        for (Span span : ss.getSpansList()) {
          if (inBatch == max) {
            if (ssPart != null) {
              rsPart.addScopeSpans(ssPart);
              ssPart = null;
            }
            if (rsPart != null) {
              batch.addResourceSpans(rsPart);
              rsPart = null;
            }
            out.add(batch.build());
            batch = ExportTraceServiceRequest.newBuilder();
            inBatch = 0;
          }
          if (rsPart == null) {
            rsPart = rs.toBuilder().clearScopeSpans();
          }
          if (ssPart == null) {
            ssPart = ss.toBuilder().clearSpans();
          }
          ssPart.addSpans(span);
          inBatch++;
        }
        if (ssPart != null) {
          rsPart.addScopeSpans(ssPart);
        }
      }
      if (rsPart != null) {
        batch.addResourceSpans(rsPart);
      }
    }
    if (inBatch > 0) {
      out.add(batch.build());
    }
    return out;
  }
}
