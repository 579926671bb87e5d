package dev.kansoku.contrib.filterconfig;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.contrib.attraction.ConfigValues;
import dev.kansoku.pipeline.Signal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * {@code include} / {@code exclude} of contrib's filterconfig, as the attributes processor and the
 * filter processor's {@code spans} use it (the filter processor's metric and log forms are mapped
 * onto it with {@link #forMetrics} and {@link #forLogs}): the items a processor applies to, or must
 * skip. Every property given must match; within a list, one item is enough. Which properties a signal
 * may use is checked when a pipeline of that signal is built.
 */
public final class MatchProperties {
  static final Set<String> SPAN_KINDS = Set.of("SPAN_KIND_CLIENT", "SPAN_KIND_CONSUMER", "SPAN_KIND_INTERNAL",
      "SPAN_KIND_PRODUCER", "SPAN_KIND_SERVER");

  /** How strings (and attribute values) are compared: strict (equal) or regexp (Go syntax, anywhere in the string). */
  String matchType = "";
  /** Accepted as upstream's: match results are not cached, patterns are compiled once. */
  RegexpSettings regexp;
  /** Traces: the resource's service.name is one of these. Example: [frontend, "auth.*"]. */
  List<String> services = new ArrayList<>();
  /** Traces: the span name is one of these. */
  List<String> spanNames = new ArrayList<>();
  /** Traces: SPAN_KIND_SERVER, SPAN_KIND_CLIENT, SPAN_KIND_INTERNAL, SPAN_KIND_PRODUCER or SPAN_KIND_CONSUMER. */
  List<String> spanKinds = new ArrayList<>();
  /** Logs: the body, as a string, is one of these. */
  List<String> logBodies = new ArrayList<>();
  /** Logs: the severity text is one of these. */
  List<String> logSeverityTexts = new ArrayList<>();
  /** Logs: the severity number is at least min (9 is INFO). */
  SeverityNumber logSeverityNumber;
  /** Metrics: the metric name is one of these. */
  List<String> metricNames = new ArrayList<>();
  /** Traces and logs: every one of these attributes is present (with this value, when given). */
  List<AttributeMatch> attributes = new ArrayList<>();
  /** Every one of these resource attributes is present (with this value, when given). */
  List<AttributeMatch> resources = new ArrayList<>();
  /** Traces and logs: the instrumentation scope is one of these (name, and version when given). */
  List<Library> libraries = new ArrayList<>();

  public static final class RegexpSettings {
    boolean cacheenabled;
    int cachemaxnumentries;
  }

  public static final class SeverityNumber {
    /** The lowest severity number that matches. Example: 13 (WARN). */
    int min;
    /** Whether records without a severity number (0) match. */
    boolean matchUndefined;

    public static SeverityNumber of(int min, boolean matchUndefined) {
      SeverityNumber n = new SeverityNumber();
      n.min = min;
      n.matchUndefined = matchUndefined;
      return n;
    }
  }

  public static final class AttributeMatch {
    String key = "";
    /** When absent, the key being present is enough. */
    JsonNode value;
  }

  static final class Library {
    String name = "";
    /** When absent any version matches; "" matches only an empty version. */
    @Nullable String version;
  }

  /**
   * The filter processor's {@code metrics} include/exclude: metric names and resource attributes. Either
   * may be null; compile those that are set separately, as upstream matches them separately.
   */
  public static MatchProperties forMetrics(String matchType, @Nullable RegexpSettings regexp,
      @Nullable List<String> metricNames, @Nullable List<AttributeMatch> resources) {
    MatchProperties p = new MatchProperties();
    p.matchType = matchType;
    p.regexp = regexp;
    p.metricNames = metricNames;
    p.resources = resources;
    return p;
  }

  /** The filter processor's {@code logs} include/exclude, whose keys name the same properties differently. */
  public static MatchProperties forLogs(String matchType, @Nullable List<AttributeMatch> resources,
      @Nullable List<AttributeMatch> attributes, @Nullable List<String> severityTexts, @Nullable List<String> bodies,
      @Nullable SeverityNumber severity) {
    MatchProperties p = new MatchProperties();
    p.matchType = matchType;
    p.resources = resources;
    p.attributes = attributes;
    p.logSeverityTexts = severityTexts;
    p.logBodies = bodies;
    p.logSeverityNumber = severity;
    return p;
  }

  static <T> List<T> list(@Nullable List<T> l) {
    return l == null ? List.of() : l;
  }

  boolean regexpMatching() {
    return "regexp".equals(matchType);
  }

  private boolean stringMatching() {
    return !list(services).isEmpty() || !list(spanNames).isEmpty() || !list(spanKinds).isEmpty()
        || !list(logBodies).isEmpty() || !list(logSeverityTexts).isEmpty() || !list(metricNames).isEmpty()
        || !list(libraries).isEmpty() || list(attributes).stream().anyMatch(a -> a != null && !ConfigValues.absent(a.value))
        || list(resources).stream().anyMatch(a -> a != null && !ConfigValues.absent(a.value));
  }

  /**
   * Checks what does not depend on the signal and compiles the patterns.
   *
   * @param path {@code include} or {@code exclude}
   */
  public PropertiesMatcher compile(String path) {
    String type = matchType == null ? "" : matchType;
    if (!type.isEmpty() && !type.equals("strict") && !type.equals("regexp")) {
      throw new IllegalArgumentException(path + "::match_type: unrecognized match_type \"" + type
          + "\" (expected strict or regexp)");
    }
    if (type.isEmpty() && stringMatching()) {
      throw new IllegalArgumentException(path + "::match_type: missing (expected strict or regexp)");
    }
    if (regexp != null && regexp.cacheenabled && regexp.cachemaxnumentries < 0) {
      throw new IllegalArgumentException(path + "::regexp::cachemaxnumentries: " + regexp.cachemaxnumentries
          + " (expected: >= 0; 0 is unbounded)");
    }
    if (nothingSet()) {
      throw new IllegalArgumentException(path + ": nothing to match; set at least one of services, span_names,"
          + " span_kinds, attributes, resources, libraries, log_bodies, log_severity_texts, log_severity_number or"
          + " metric_names");
    }
    return new PropertiesMatcher(this, path);
  }

  private boolean nothingSet() {
    return !stringMatching() && list(attributes).isEmpty() && list(resources).isEmpty() && logSeverityNumber == null;
  }

  /** Why these properties cannot select items of {@code signal}, or null when they can (upstream's per-signal rules). */
  @Nullable
  public String problemFor(Signal<?> signal) {
    if (signal == Signal.TRACES) {
      for (var e : List.of(new Named("log_bodies", logBodies), new Named("log_severity_texts", logSeverityTexts),
          new Named("metric_names", metricNames))) {
        if (!list(e.values()).isEmpty()) {
          return e.name() + " should not be specified for trace spans";
        }
      }
      if (logSeverityNumber != null) {
        return "log_severity_number should not be specified for trace spans";
      }
      if (list(services).isEmpty() && list(spanNames).isEmpty() && list(spanKinds).isEmpty()
          && list(attributes).isEmpty() && list(resources).isEmpty() && list(libraries).isEmpty()) {
        return "at least one of services, span_names, span_kinds, attributes, resources or libraries must be set"
            + " for spans";
      }
      if (!regexpMatching()) {
        for (String kind : list(spanKinds)) {
          if (!SPAN_KINDS.contains(kind)) {
            return "span_kinds: \"" + kind + "\" is not a span kind; with match_type strict, expected one of"
                + " SPAN_KIND_CLIENT, SPAN_KIND_CONSUMER, SPAN_KIND_INTERNAL, SPAN_KIND_PRODUCER, SPAN_KIND_SERVER";
          }
        }
      }
      return null;
    }
    if (signal == Signal.LOGS) {
      if (!list(services).isEmpty() || !list(spanNames).isEmpty() || !list(spanKinds).isEmpty()
          || !list(metricNames).isEmpty()) {
        return "services, span_names, span_kinds and metric_names are not valid for log records";
      }
      if (list(attributes).isEmpty() && list(resources).isEmpty() && list(libraries).isEmpty()
          && list(logBodies).isEmpty() && list(logSeverityTexts).isEmpty() && logSeverityNumber == null) {
        return "at least one of attributes, resources, libraries, log_bodies, log_severity_texts or"
            + " log_severity_number must be set for log records";
      }
      return null;
    }
    if (!list(logBodies).isEmpty() || !list(logSeverityTexts).isEmpty() || logSeverityNumber != null
        || !list(spanNames).isEmpty() || !list(services).isEmpty() || !list(spanKinds).isEmpty()
        || !list(attributes).isEmpty() || !list(libraries).isEmpty()) {
      return "span_names, span_kinds, log_bodies, log_severity_texts, log_severity_number, services, attributes and"
          + " libraries are not valid for metrics";
    }
    if (list(metricNames).isEmpty() && list(resources).isEmpty()) {
      return "at least one of metric_names or resources must be set for metrics";
    }
    return null;
  }

  private record Named(String name, @Nullable List<String> values) {}

  /** A list of strings with YAML nulls read as empty strings. */
  static List<String> strings(@Nullable List<String> l) {
    return list(l).stream().map(s -> Objects.requireNonNullElse(s, "")).toList();
  }
}
