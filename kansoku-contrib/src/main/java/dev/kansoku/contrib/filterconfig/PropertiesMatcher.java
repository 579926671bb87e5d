package dev.kansoku.contrib.filterconfig;

import static dev.kansoku.contrib.filterconfig.MatchProperties.list;
import static dev.kansoku.contrib.filterconfig.MatchProperties.strings;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.contrib.attraction.ConfigValues;
import dev.kansoku.contrib.attraction.GoValues;
import dev.kansoku.contrib.filterconfig.MatchProperties.AttributeMatch;
import dev.kansoku.contrib.filterconfig.MatchProperties.Library;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/** Compiled {@link MatchProperties}: does a span, log record or metric match? Immutable and thread-safe. */
public final class PropertiesMatcher {
  /** What upstream compares service patterns with when the resource has no service.name. */
  private static final String NO_SERVICE = "<nil-service-name>";

  @Nullable private final StringSet services;
  @Nullable private final StringSet spanNames;
  @Nullable private final StringSet spanKinds;
  @Nullable private final StringSet logBodies;
  @Nullable private final StringSet logSeverityTexts;
  @Nullable private final StringSet metricNames;
  @Nullable private final MatchProperties.SeverityNumber severity;
  private final List<AttributeMatcher> attributes;
  private final List<AttributeMatcher> resources;
  private final List<LibraryMatcher> libraries;

  PropertiesMatcher(MatchProperties p, String path) {
    boolean regexp = p.regexpMatching();
    services = set(p.services, regexp, path + "::services");
    spanNames = set(p.spanNames, regexp, path + "::span_names");
    spanKinds = set(p.spanKinds, regexp, path + "::span_kinds");
    logBodies = set(p.logBodies, regexp, path + "::log_bodies");
    logSeverityTexts = set(p.logSeverityTexts, regexp, path + "::log_severity_texts");
    metricNames = set(p.metricNames, regexp, path + "::metric_names");
    severity = p.logSeverityNumber;
    attributes = attributeMatchers(p.attributes, regexp, path + "::attributes");
    resources = attributeMatchers(p.resources, regexp, path + "::resources");
    List<LibraryMatcher> libs = new ArrayList<>();
    List<Library> configured = list(p.libraries);
    for (int i = 0; i < configured.size(); i++) {
      Library l = configured.get(i);
      String at = path + "::libraries::" + i;
      if (l == null) {
        throw new IllegalArgumentException(at + ": empty entry (expected name and, optionally, version)");
      }
      libs.add(new LibraryMatcher(StringSet.of(List.of(nonNull(l.name)), regexp, at + "::name"),
          l.version == null ? null : StringSet.of(List.of(l.version), regexp, at + "::version")));
    }
    libraries = List.copyOf(libs);
  }

  private static String nonNull(@Nullable String s) {
    return s == null ? "" : s;
  }

  @Nullable
  private static StringSet set(@Nullable List<String> items, boolean regexp, String path) {
    return list(items).isEmpty() ? null : StringSet.of(strings(items), regexp, path);
  }

  private static List<AttributeMatcher> attributeMatchers(@Nullable List<AttributeMatch> configured, boolean regexp,
      String path) {
    List<AttributeMatcher> out = new ArrayList<>();
    for (int i = 0; i < list(configured).size(); i++) {
      AttributeMatch a = configured.get(i);
      String at = path + "::" + i;
      if (a == null || a.key == null || a.key.isEmpty()) {
        throw new IllegalArgumentException(at + "::key: missing (an attribute to match needs its key)");
      }
      JsonNode value = a.value;
      if (ConfigValues.absent(value)) {
        out.add(new AttributeMatcher(a.key, null, null));
      } else if (!regexp) {
        out.add(new AttributeMatcher(a.key, ConfigValues.fromYaml(value), null));
      } else if (!value.isTextual()) {
        throw new IllegalArgumentException(at + "::value: match_type regexp compares strings, but the value for \""
            + a.key + "\" is " + value.getNodeType().toString().toLowerCase() + "; quote it or use match_type strict");
      } else {
        out.add(new AttributeMatcher(a.key, null, StringSet.of(List.of(value.textValue()), true, at + "::value")));
      }
    }
    return List.copyOf(out);
  }

  public boolean matchesSpan(Resource resource, InstrumentationScope scope, Span span) {
    if (services != null && !services.matches(serviceName(resource))) {
      return false;
    }
    if (spanNames != null && !spanNames.matches(span.getName())) {
      return false;
    }
    if (spanKinds != null && !spanKinds.matches(spanKind(span))) {
      return false;
    }
    return matchesScope(scope) && matchAll(resources, resource.getAttributesList())
        && matchAll(attributes, span.getAttributesList());
  }

  public boolean matchesLog(Resource resource, InstrumentationScope scope, LogRecord record) {
    if (logBodies != null && !logBodies.matches(GoValues.asString(record.getBody()))) {
      return false;
    }
    if (logSeverityTexts != null && !logSeverityTexts.matches(record.getSeverityText())) {
      return false;
    }
    if (severity != null) {
      int n = record.getSeverityNumberValue();
      if (n == 0 ? !severity.matchUndefined : n < severity.min) {
        return false;
      }
    }
    return matchesScope(scope) && matchAll(resources, resource.getAttributesList())
        && matchAll(attributes, record.getAttributesList());
  }

  /** By name and resource attributes (upstream v0.156.0 accepts resources for metrics, then ignores them). */
  public boolean matchesMetric(Resource resource, Metric metric) {
    if (metricNames != null && !metricNames.matches(metric.getName())) {
      return false;
    }
    return matchAll(resources, resource.getAttributesList());
  }

  /** By resource attributes alone. */
  public boolean matchesResource(Resource resource) {
    return matchAll(resources, resource.getAttributesList());
  }

  /** One library entry is enough: its name, and its version when the entry gives one. */
  private boolean matchesScope(InstrumentationScope scope) {
    if (libraries.isEmpty()) {
      return true;
    }
    for (LibraryMatcher l : libraries) {
      if (l.name.matches(scope.getName()) && (l.version == null || l.version.matches(scope.getVersion()))) {
        return true;
      }
    }
    return false;
  }

  private static String serviceName(Resource resource) {
    for (KeyValue kv : resource.getAttributesList()) {
      if (kv.getKey().equals("service.name")) {
        return GoValues.asString(kv.getValue());
      }
    }
    return NO_SERVICE;
  }

  private static String spanKind(Span span) {
    return switch (span.getKind()) {
      case SPAN_KIND_UNSPECIFIED -> "SPAN_KIND_UNSPECIFIED";
      case SPAN_KIND_INTERNAL -> "SPAN_KIND_INTERNAL";
      case SPAN_KIND_SERVER -> "SPAN_KIND_SERVER";
      case SPAN_KIND_CLIENT -> "SPAN_KIND_CLIENT";
      case SPAN_KIND_PRODUCER -> "SPAN_KIND_PRODUCER";
      case SPAN_KIND_CONSUMER -> "SPAN_KIND_CONSUMER";
      case UNRECOGNIZED -> "";
    };
  }

  /** Every matcher finds its key (first occurrence) with a matching value; none to match is a match. */
  private static boolean matchAll(List<AttributeMatcher> matchers, List<KeyValue> attrs) {
    if (matchers.isEmpty()) {
      return true;
    }
    for (AttributeMatcher m : matchers) {
      AnyValue found = null;
      for (KeyValue kv : attrs) {
        if (kv.getKey().equals(m.key)) {
          found = kv.getValue();
          break;
        }
      }
      if (found == null || !m.matches(found)) {
        return false;
      }
    }
    return true;
  }

  private record LibraryMatcher(StringSet name, @Nullable StringSet version) {}

  /** A key to find; with a strict value (same type, equal) or a pattern for the value as a string. */
  private record AttributeMatcher(String key, @Nullable AnyValue strict, @Nullable StringSet pattern) {
    boolean matches(AnyValue v) {
      if (strict != null) {
        return same(strict, v);
      }
      if (pattern != null) {
        String s = switch (v.getValueCase()) {
          case STRING_VALUE -> v.getStringValue();
          case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
          case DOUBLE_VALUE -> GoValues.formatFloat(v.getDoubleValue());
          case INT_VALUE -> Long.toString(v.getIntValue());
          default -> null;
        };
        return s != null && pattern.matches(s);
      }
      return true;
    }
  }

  /** Equal type and value; maps compare without regard to order, as upstream compares their hashes. */
  private static boolean same(AnyValue a, AnyValue b) {
    if (a.getValueCase() != b.getValueCase()) {
      return false;
    }
    return switch (a.getValueCase()) {
      case DOUBLE_VALUE -> a.getDoubleValue() == b.getDoubleValue();
      case ARRAY_VALUE -> {
        List<AnyValue> x = a.getArrayValue().getValuesList();
        List<AnyValue> y = b.getArrayValue().getValuesList();
        boolean equal = x.size() == y.size();
        for (int i = 0; equal && i < x.size(); i++) {
          equal = same(x.get(i), y.get(i));
        }
        yield equal;
      }
      case KVLIST_VALUE -> {
        Map<String, AnyValue> x = asMap(a);
        Map<String, AnyValue> y = asMap(b);
        yield x.keySet().equals(y.keySet()) && x.entrySet().stream().allMatch(e -> same(e.getValue(), y.get(e.getKey())));
      }
      default -> a.equals(b);
    };
  }

  private static Map<String, AnyValue> asMap(AnyValue v) {
    Map<String, AnyValue> m = new HashMap<>();
    for (KeyValue kv : v.getKvlistValue().getValuesList()) {
      m.putIfAbsent(kv.getKey(), kv.getValue());
    }
    return m;
  }
}
