package dev.kansoku.contrib.filterprocessor;

import static dev.kansoku.contrib.filterprocessor.Pruning.prune;

import dev.kansoku.contrib.ottl.OttlItem;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.function.Function;
import javax.annotation.Nullable;

/**
 * Drops what the rules select and passes the rest on. As upstream: a scope left without items and a
 * resource left without scopes are dropped too (when items are checked at all), and a batch left
 * empty is not passed on — the sender is answered as if it had been. A batch nothing was dropped
 * from goes on as the same object. Thread-safe (the rules are immutable).
 */
final class FilterProcessor<T> implements Processor<T> {
  private final Function<T, T> filter;
  private final DataConsumer<T> next;

  @SuppressWarnings("unchecked")
  FilterProcessor(Signal<T> signal, FilterRules rules, DataConsumer<T> next) {
    this.next = next;
    Function<?, ?> f;
    if (rules.none()) {
      f = Function.identity();
    } else if (signal == Signal.TRACES) {
      f = (Function<ExportTraceServiceRequest, ExportTraceServiceRequest>) r -> traces(r, rules);
    } else if (signal == Signal.METRICS) {
      MetricsFilter metrics = new MetricsFilter(rules);
      f = (Function<ExportMetricsServiceRequest, ExportMetricsServiceRequest>) metrics::apply;
    } else {
      f = (Function<ExportLogsServiceRequest, ExportLogsServiceRequest>) r -> logs(r, rules);
    }
    this.filter = (Function<T, T>) f;
  }

  @Override
  public void consume(T data) throws ConsumeException {
    T kept = filter.apply(data);
    if (kept != null) {
      next.consume(kept);
    }
  }

  /** The request without what the rules drop, or null when nothing is left. */
  @Nullable
  private static ExportTraceServiceRequest traces(ExportTraceServiceRequest req, FilterRules rules) {
    List<ResourceSpans> kept = prune(req.getResourceSpansList(), rs -> {
      Resource resource = rs.getResource();
      if (rules.skipResource(resource)) {
        return null;
      }
      if (!rules.itemLevel()) {
        return rs.getScopeSpansCount() == 0 ? null : rs;
      }
      List<ScopeSpans> scopes = prune(rs.getScopeSpansList(), ss -> {
        List<Span> spans = prune(ss.getSpansList(), span -> span(resource, ss.getScope(), span, rules));
        return spans.isEmpty() ? null : spans == ss.getSpansList() ? ss
            : ss.toBuilder().clearSpans().addAllSpans(spans).build();
      });
      return scopes.isEmpty() ? null : scopes == rs.getScopeSpansList() ? rs
          : rs.toBuilder().clearScopeSpans().addAllScopeSpans(scopes).build();
    });
    return kept.isEmpty() ? null : kept == req.getResourceSpansList() ? req
        : req.toBuilder().clearResourceSpans().addAllResourceSpans(kept).build();
  }

  @Nullable
  private static Span span(Resource resource, InstrumentationScope scope, Span span, FilterRules rules) {
    if ((rules.item() != null && rules.item().anyMatch(OttlItem.span(resource, scope, span)))
        || (rules.include() != null && !rules.include().matchesSpan(resource, scope, span))
        || (rules.exclude() != null && rules.exclude().matchesSpan(resource, scope, span))) {
      return null;
    }
    if (rules.subItem() == null) {
      return span;
    }
    // A span keeps its place when all its events go, as upstream's.
    List<Span.Event> events = prune(span.getEventsList(),
        e -> rules.subItem().anyMatch(OttlItem.spanEvent(resource, scope, span, e)) ? null : e);
    return events == span.getEventsList() ? span : span.toBuilder().clearEvents().addAllEvents(events).build();
  }

  @Nullable
  private static ExportLogsServiceRequest logs(ExportLogsServiceRequest req, FilterRules rules) {
    List<ResourceLogs> kept = prune(req.getResourceLogsList(), rl -> {
      Resource resource = rl.getResource();
      if (rules.skipResource(resource)) {
        return null;
      }
      if (!rules.itemLevel()) {
        return rl.getScopeLogsCount() == 0 ? null : rl;
      }
      List<ScopeLogs> scopes = prune(rl.getScopeLogsList(), sl -> {
        List<LogRecord> records = prune(sl.getLogRecordsList(), lr -> keepLog(resource, sl.getScope(), lr, rules));
        return records.isEmpty() ? null : records == sl.getLogRecordsList() ? sl
            : sl.toBuilder().clearLogRecords().addAllLogRecords(records).build();
      });
      return scopes.isEmpty() ? null : scopes == rl.getScopeLogsList() ? rl
          : rl.toBuilder().clearScopeLogs().addAllScopeLogs(scopes).build();
    });
    return kept.isEmpty() ? null : kept == req.getResourceLogsList() ? req
        : req.toBuilder().clearResourceLogs().addAllResourceLogs(kept).build();
  }

  @Nullable
  private static LogRecord keepLog(Resource resource, InstrumentationScope scope, LogRecord lr, FilterRules rules) {
    boolean drop = (rules.item() != null && rules.item().anyMatch(OttlItem.log(resource, scope, lr)))
        || (rules.include() != null && !rules.include().matchesLog(resource, scope, lr))
        || (rules.exclude() != null && rules.exclude().matchesLog(resource, scope, lr));
    return drop ? null : lr;
  }
}
