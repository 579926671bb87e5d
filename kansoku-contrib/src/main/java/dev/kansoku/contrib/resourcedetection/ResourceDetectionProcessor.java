package dev.kansoku.contrib.resourcedetection;

import dev.kansoku.contrib.resourcedetection.Detection.Snapshot;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.function.BiFunction;
import javax.annotation.Nullable;

/**
 * Merges the detected resource into the resource of every resource group (and fills an empty schema
 * URL) and passes the batch on; a batch the merge leaves as it was is passed on as the same object.
 * Thread-safe (the snapshot is immutable).
 */
final class ResourceDetectionProcessor<T> implements Processor<T> {
  private final DetectedResource detected;
  private final BiFunction<T, Snapshot, T> rewrite;
  private final DataConsumer<T> next;

  ResourceDetectionProcessor(Signal<T> signal, DetectedResource detected, boolean override, DataConsumer<T> next) {
    this.detected = detected;
    this.rewrite = rewriter(signal, override);
    this.next = next;
  }

  @Override
  public void start(Host host) throws Exception {
    detected.start();
  }

  @Override
  public void consume(T data) throws ConsumeException {
    Snapshot s = detected.current();
    next.consume(s.attributes().isEmpty() && s.schemaUrl().isEmpty() ? data : rewrite.apply(data, s));
  }

  @Override
  public void shutdown() {
    detected.shutdown();
  }

  @SuppressWarnings("unchecked")
  private static <T> BiFunction<T, Snapshot, T> rewriter(Signal<T> signal, boolean override) {
    BiFunction<?, Snapshot, ?> op;
    if (signal == Signal.TRACES) {
      op = (BiFunction<ExportTraceServiceRequest, Snapshot, ExportTraceServiceRequest>) (r, s) -> traces(r, s, override);
    } else if (signal == Signal.METRICS) {
      op = (BiFunction<ExportMetricsServiceRequest, Snapshot, ExportMetricsServiceRequest>) (r, s) ->
          metrics(r, s, override);
    } else {
      op = (BiFunction<ExportLogsServiceRequest, Snapshot, ExportLogsServiceRequest>) (r, s) -> logs(r, s, override);
    }
    return (BiFunction<T, Snapshot, T>) op;
  }

  /** The merged resource, or null when it is the same. */
  @Nullable
  private static Resource merged(Resource resource, Snapshot s, boolean override) {
    List<KeyValue> before = resource.getAttributesList();
    List<KeyValue> after = ResourceMerge.merge(before, s.attributes(), override);
    return after == before ? null : resource.toBuilder().clearAttributes().addAllAttributes(after).build();
  }

  private static ExportTraceServiceRequest traces(ExportTraceServiceRequest req, Snapshot s, boolean override) {
    ExportTraceServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceSpansCount(); i++) {
      ResourceSpans rs = req.getResourceSpans(i);
      Resource changed = merged(rs.getResource(), s, override);
      String schema = ResourceMerge.schemaUrl(rs.getSchemaUrl(), s.schemaUrl());
      if (changed != null || !schema.equals(rs.getSchemaUrl())) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceSpans(i, rs.toBuilder().setResource(changed == null ? rs.getResource() : changed)
            .setSchemaUrl(schema));
      }
    }
    return b == null ? req : b.build();
  }

  private static ExportMetricsServiceRequest metrics(ExportMetricsServiceRequest req, Snapshot s, boolean override) {
    ExportMetricsServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceMetricsCount(); i++) {
      ResourceMetrics rm = req.getResourceMetrics(i);
      Resource changed = merged(rm.getResource(), s, override);
      String schema = ResourceMerge.schemaUrl(rm.getSchemaUrl(), s.schemaUrl());
      if (changed != null || !schema.equals(rm.getSchemaUrl())) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceMetrics(i, rm.toBuilder().setResource(changed == null ? rm.getResource() : changed)
            .setSchemaUrl(schema));
      }
    }
    return b == null ? req : b.build();
  }

  private static ExportLogsServiceRequest logs(ExportLogsServiceRequest req, Snapshot s, boolean override) {
    ExportLogsServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceLogsCount(); i++) {
      ResourceLogs rl = req.getResourceLogs(i);
      Resource changed = merged(rl.getResource(), s, override);
      String schema = ResourceMerge.schemaUrl(rl.getSchemaUrl(), s.schemaUrl());
      if (changed != null || !schema.equals(rl.getSchemaUrl())) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceLogs(i, rl.toBuilder().setResource(changed == null ? rl.getResource() : changed)
            .setSchemaUrl(schema));
      }
    }
    return b == null ? req : b.build();
  }
}
