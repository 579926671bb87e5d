package dev.kansoku.contrib.resourceprocessor;

import dev.kansoku.contrib.attraction.Actions;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
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
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;

/**
 * Applies the actions to the resource of every resource group and passes the batch on. A resource the
 * actions leave as it was is kept, and a batch with no change is passed on as the same object.
 * Thread-safe (the actions are immutable).
 */
final class ResourceProcessor<T> implements Processor<T> {
  private final UnaryOperator<T> rewrite;
  private final DataConsumer<T> next;

  ResourceProcessor(Signal<T> signal, Actions actions, DataConsumer<T> next) {
    this.rewrite = rewriter(signal, actions);
    this.next = next;
  }

  @Override
  public void consume(T data) throws ConsumeException {
    next.consume(rewrite.apply(data));
  }

  @SuppressWarnings("unchecked")
  private static <T> UnaryOperator<T> rewriter(Signal<T> signal, Actions actions) {
    UnaryOperator<?> op;
    if (signal == Signal.TRACES) {
      op = (UnaryOperator<ExportTraceServiceRequest>) r -> traces(r, actions);
    } else if (signal == Signal.METRICS) {
      op = (UnaryOperator<ExportMetricsServiceRequest>) r -> metrics(r, actions);
    } else {
      op = (UnaryOperator<ExportLogsServiceRequest>) r -> logs(r, actions);
    }
    return (UnaryOperator<T>) op;
  }

  /** The resource with the actions applied, or null when they changed nothing. */
  @Nullable
  private static Resource apply(Resource resource, Actions actions) {
    List<KeyValue> before = resource.getAttributesList();
    List<KeyValue> after = actions.apply(before);
    return after == before ? null : resource.toBuilder().clearAttributes().addAllAttributes(after).build();
  }

  private static ExportTraceServiceRequest traces(ExportTraceServiceRequest req, Actions actions) {
    ExportTraceServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceSpansCount(); i++) {
      ResourceSpans rs = req.getResourceSpans(i);
      Resource changed = apply(rs.getResource(), actions);
      if (changed != null) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceSpans(i, rs.toBuilder().setResource(changed));
      }
    }
    return b == null ? req : b.build();
  }

  private static ExportMetricsServiceRequest metrics(ExportMetricsServiceRequest req, Actions actions) {
    ExportMetricsServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceMetricsCount(); i++) {
      ResourceMetrics rm = req.getResourceMetrics(i);
      Resource changed = apply(rm.getResource(), actions);
      if (changed != null) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceMetrics(i, rm.toBuilder().setResource(changed));
      }
    }
    return b == null ? req : b.build();
  }

  private static ExportLogsServiceRequest logs(ExportLogsServiceRequest req, Actions actions) {
    ExportLogsServiceRequest.Builder b = null;
    for (int i = 0; i < req.getResourceLogsCount(); i++) {
      ResourceLogs rl = req.getResourceLogs(i);
      Resource changed = apply(rl.getResource(), actions);
      if (changed != null) {
        b = b == null ? req.toBuilder() : b;
        b.setResourceLogs(i, rl.toBuilder().setResource(changed));
      }
    }
    return b == null ? req : b.build();
  }
}
