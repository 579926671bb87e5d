package dev.kansoku.contrib.filterprocessor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.contrib.filterconfig.MatchProperties;
import dev.kansoku.contrib.filterconfig.MatchProperties.AttributeMatch;
import dev.kansoku.contrib.filterconfig.MatchProperties.RegexpSettings;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Validatable;
import java.util.List;
import javax.annotation.Nullable;

/**
 * {@code filter}: drops spans, span events, metrics, data points and log records, by the legacy
 * include/exclude properties or by OTTL conditions (an item is dropped when any condition is true).
 */
final class FilterConfig implements Validatable {
  /** What an OTTL condition's evaluation error does: ignore, silent or propagate. Example: ignore. */
  String errorMode = "propagate";
  /** Legacy span selection: only spans include matches and exclude does not go on. */
  Spans spans = new Spans();
  /** Metric selection: legacy include/exclude, or OTTL conditions per context. */
  Metrics metrics = new Metrics();
  /** Log record selection: legacy include/exclude, or OTTL conditions per context. */
  Logs logs = new Logs();
  /** Trace selection by OTTL conditions per context. */
  Traces traces = new Traces();
  /** Context-inferred conditions of newer collectors; refused with a pointer to the per-context keys. */
  JsonNode traceConditions;
  JsonNode metricConditions;
  JsonNode logConditions;

  static final class Spans {
    @Nullable MatchProperties include;
    @Nullable MatchProperties exclude;
  }

  static final class Traces {
    /** Drop the whole resource when one is true. Example: ['attributes["service.name"] == "health"']. */
    List<String> resource;
    /** Drop the span when one is true. Example: ['kind == SPAN_KIND_INTERNAL and name == "select"']. */
    List<String> span;
    /** Drop the span event when one is true. Example: ['name == "exception"']. */
    List<String> spanevent;
  }

  static final class Metrics {
    /** Only metrics these select go on. Example: {match_type: strict, metric_names: [ecs.task.memory.utilized]}. */
    @Nullable MetricMatch include;
    /** Metrics these select are dropped; checked after include. */
    @Nullable MetricMatch exclude;
    /** Accepted as upstream's; results are not cached, patterns are compiled once. */
    RegexpSettings regexp;
    /** Drop the whole resource when one is true. Example: ['attributes["host.name"] == "test"']. */
    List<String> resource;
    /** Drop the metric when one is true. Example: ['name == "jvm.gc.duration"']. */
    List<String> metric;
    /** Drop the data point when one is true. Example: ['attributes["state"] == "idle"']. */
    List<String> datapoint;
  }

  static final class MetricMatch {
    /** strict or regexp (expr, the expr language, is not supported). */
    String matchType = "";
    RegexpSettings regexp;
    /** Example: [ecs.task.memory.reserved, ecs.task.memory.utilized]. */
    List<String> metricNames;
    /** Upstream's expr expressions; refused (use metrics::metric conditions). */
    List<String> expressions;
    /** Every one of these resource attributes is present (with this value, when given). */
    List<AttributeMatch> resourceAttributes;
  }

  static final class Logs {
    @Nullable LogMatch include;
    @Nullable LogMatch exclude;
    /** Drop the whole resource when one is true. */
    List<String> resource;
    /** Drop the log record when one is true. Example: ['severity_number < SEVERITY_NUMBER_WARN']. */
    List<String> logRecord;
  }

  /** The legacy log properties; keys differ from the attributes processor's (bodies, not log_bodies). */
  static final class LogMatch {
    /** strict or regexp; needed when bodies, severity texts or attribute values are compared. */
    String matchType = "";
    List<AttributeMatch> resourceAttributes;
    List<AttributeMatch> recordAttributes;
    List<String> severityTexts;
    @Nullable LogSeverity severityNumber;
    List<String> bodies;
  }

  static final class LogSeverity {
    /** The lowest severity that matches: a name (INFO, warn2 …) or 1 to 24. */
    String min = "";
    boolean matchUndefined;
  }

  @Override
  public void validate() {
    if (!List.of("ignore", "silent", "propagate").contains(errorMode)) {
      throw new IllegalArgumentException("error_mode: unknown error mode \"" + errorMode
          + "\" (expected ignore, silent or propagate)");
    }
    for (var inferred : List.of(new Inferred("trace_conditions", traceConditions, "traces::span"),
        new Inferred("metric_conditions", metricConditions, "metrics::metric"),
        new Inferred("log_conditions", logConditions, "logs::log_record"))) {
      if (inferred.value() != null && !inferred.value().isNull()) {
        throw new IllegalArgumentException(inferred.key() + ": context-inferred conditions are not supported by Kansoku;"
            + " write them under the per-context keys, e.g. " + inferred.instead() + ", without the context prefix");
      }
    }
    if ((traces.resource != null || traces.span != null || traces.spanevent != null)
        && (spans.include != null || spans.exclude != null)) {
      throw new IllegalArgumentException("cannot use \"traces.resource\", \"traces.span\", \"traces.spanevent\" and the"
          + " span settings \"spans.include\", \"spans.exclude\" at the same time");
    }
    if ((metrics.resource != null || metrics.metric != null || metrics.datapoint != null)
        && (metrics.include != null || metrics.exclude != null)) {
      throw new IllegalArgumentException("cannot use \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\" and"
          + " the settings \"metrics.include\", \"metrics.exclude\" at the same time");
    }
    if ((logs.resource != null || logs.logRecord != null) && (logs.include != null || logs.exclude != null)) {
      throw new IllegalArgumentException("cannot use \"logs.resource\", \"logs.log\" and the settings \"logs.include\","
          + " \"logs.exclude\" at the same time");
    }
    for (Signal<?> signal : Signal.ALL) {
      FilterRules.compile(this, signal);
    }
  }

  private record Inferred(String key, @Nullable JsonNode value, String instead) {}
}
