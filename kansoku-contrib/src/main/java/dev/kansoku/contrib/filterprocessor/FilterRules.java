package dev.kansoku.contrib.filterprocessor;

import dev.kansoku.contrib.filterconfig.MatchProperties;
import dev.kansoku.contrib.filterconfig.MatchProperties.SeverityNumber;
import dev.kansoku.contrib.filterconfig.PropertiesMatcher;
import dev.kansoku.contrib.filterprocessor.FilterConfig.LogMatch;
import dev.kansoku.contrib.filterprocessor.FilterConfig.MetricMatch;
import dev.kansoku.contrib.ottl.OttlConditions;
import dev.kansoku.contrib.ottl.OttlContext;
import dev.kansoku.contrib.ottl.OttlItem;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * The filter configuration compiled for one signal: which resources, items and sub-items to drop.
 * Null fields are not checked. Immutable and thread-safe; compiled once per pipeline.
 *
 * @param resource OTTL conditions on the resource
 * @param item OTTL conditions on spans, metrics or log records
 * @param subItem OTTL conditions on span events or data points
 * @param include legacy: spans or log records (or metric names) that go on
 * @param exclude legacy: spans or log records (or metric names) that are dropped
 * @param includeResource legacy metrics: resources whose metrics go on
 * @param excludeResource legacy metrics: resources whose metrics are dropped
 */
record FilterRules(@Nullable OttlConditions resource, @Nullable OttlConditions item, @Nullable OttlConditions subItem,
    @Nullable PropertiesMatcher include, @Nullable PropertiesMatcher exclude,
    @Nullable PropertiesMatcher includeResource, @Nullable PropertiesMatcher excludeResource) {

  private static final List<String> SEVERITIES = List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL");

  /** Nothing configured for this signal: data passes untouched, empty containers included. */
  boolean none() {
    return resource == null && !itemLevel() && includeResource == null && excludeResource == null;
  }

  /** Whether items (not only resources) are checked; when not, scopes are left as they are. */
  boolean itemLevel() {
    return item != null || subItem != null || include != null || exclude != null;
  }

  /** Whether a resource's data is dropped as a whole. */
  boolean skipResource(Resource r) {
    if (resource != null && resource.anyMatch(OttlItem.resource(r))) {
      return true;
    }
    return (includeResource != null && !includeResource.matchesResource(r))
        || (excludeResource != null && excludeResource.matchesResource(r));
  }

  /**
   * @throws IllegalArgumentException naming the key and what is wrong, as the configuration loader
   *     reports it under {@code processors::filter}
   */
  static FilterRules compile(FilterConfig c, Signal<?> signal) {
    if (signal == Signal.TRACES) {
      return new FilterRules(OttlConditions.compile(c.traces.resource, OttlContext.RESOURCE, "traces::resource"),
          OttlConditions.compile(c.traces.span, OttlContext.SPAN, "traces::span"),
          OttlConditions.compile(c.traces.spanevent, OttlContext.SPANEVENT, "traces::spanevent"),
          spans(c.spans.include, "spans::include"), spans(c.spans.exclude, "spans::exclude"), null, null);
    }
    if (signal == Signal.LOGS) {
      return new FilterRules(OttlConditions.compile(c.logs.resource, OttlContext.RESOURCE, "logs::resource"),
          OttlConditions.compile(c.logs.logRecord, OttlContext.LOG, "logs::log_record"), null,
          logs(c.logs.include, "logs::include"), logs(c.logs.exclude, "logs::exclude"), null, null);
    }
    FilterConfig.Metrics m = c.metrics;
    return new FilterRules(OttlConditions.compile(m.resource, OttlContext.RESOURCE, "metrics::resource"),
        OttlConditions.compile(m.metric, OttlContext.METRIC, "metrics::metric"),
        OttlConditions.compile(m.datapoint, OttlContext.DATAPOINT, "metrics::datapoint"),
        metrics(m.include, "metrics::include", true), metrics(m.exclude, "metrics::exclude", true),
        metrics(m.include, "metrics::include", false), metrics(m.exclude, "metrics::exclude", false));
  }

  @Nullable
  private static PropertiesMatcher spans(@Nullable MatchProperties p, String path) {
    if (p == null) {
      return null;
    }
    String problem = p.problemFor(Signal.TRACES);
    if (problem != null) {
      throw new IllegalArgumentException(path + ": " + problem);
    }
    return p.compile(path);
  }

  /** Names or resource attributes alone: upstream matches the two separately (an exclude drops either). */
  @Nullable
  private static PropertiesMatcher metrics(@Nullable MetricMatch m, String path, boolean names) {
    if (m == null) {
      return null;
    }
    String type = m.matchType == null ? "" : m.matchType;
    if (type.equals("expr") || (m.expressions != null && !m.expressions.isEmpty())) {
      throw new IllegalArgumentException(path + "::" + (type.equals("expr") ? "match_type" : "expressions")
          + ": the expr language is not supported by Kansoku; write metrics::metric or metrics::datapoint OTTL"
          + " conditions instead, e.g. 'name == \"jvm.gc.duration\"'");
    }
    if (!type.isEmpty() && !type.equals("strict") && !type.equals("regexp")) {
      throw new IllegalArgumentException(path + "::match_type: unrecognized match_type \"" + type
          + "\" (expected strict or regexp)");
    }
    if (names) {
      return m.metricNames == null || m.metricNames.isEmpty() ? null
          : MatchProperties.forMetrics(type, m.regexp, m.metricNames, null).compile(path);
    }
    return m.resourceAttributes == null || m.resourceAttributes.isEmpty() ? null
        : MatchProperties.forMetrics(type, m.regexp, null, m.resourceAttributes).compile(path);
  }

  @Nullable
  private static PropertiesMatcher logs(@Nullable LogMatch m, String path) {
    if (m == null || (empty(m.resourceAttributes) && empty(m.recordAttributes) && empty(m.severityTexts)
        && empty(m.bodies) && m.severityNumber == null)) {
      return null; // upstream ignores an include or exclude that selects by nothing
    }
    SeverityNumber severity = m.severityNumber == null ? null
        : SeverityNumber.of(severity(m.severityNumber.min, path + "::severity_number::min"),
            m.severityNumber.matchUndefined);
    return MatchProperties.forLogs(m.matchType == null ? "" : m.matchType, m.resourceAttributes, m.recordAttributes,
        m.severityTexts, m.bodies, severity).compile(path);
  }

  private static boolean empty(@Nullable List<?> l) {
    return l == null || l.isEmpty();
  }

  /** A severity name (TRACE … FATAL4, any case) or number (1 … 24); "" means no minimum. */
  static int severity(String min, String path) {
    String s = min == null ? "" : min.toUpperCase(Locale.ROOT);
    if (s.isEmpty()) {
      return 0;
    }
    if (s.matches("[1-9][0-9]?") && Integer.parseInt(s) <= 24) {
      return Integer.parseInt(s);
    }
    int level = SEVERITIES.indexOf(s.replaceAll("[234]$", ""));
    if (level >= 0 && s.matches("[A-Z]+[234]?")) {
      char last = s.charAt(s.length() - 1);
      return level * 4 + 1 + (Character.isDigit(last) ? last - '1' : 0);
    }
    throw new IllegalArgumentException(path + ": '" + min + "' is not a valid severity: not a valid severity"
        + " (expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL, optionally followed by 2, 3 or 4, or 1 to 24)");
  }
}
