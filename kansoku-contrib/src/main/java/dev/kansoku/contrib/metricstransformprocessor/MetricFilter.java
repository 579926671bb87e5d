package dev.kansoku.contrib.metricstransformprocessor;

import dev.kansoku.contrib.attraction.GoRegex;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import javax.annotation.Nullable;

/**
 * A transform's {@code include}: the metric name (equal, or a Go regexp found anywhere in it) and,
 * with {@code experimental_match_labels}, data point labels. Immutable and thread-safe.
 */
final class MetricFilter {
  @Nullable private final String strict;
  @Nullable private final GoRegex regexp;
  /** Label → how its string value must match; an absent label must match "". */
  private final Map<String, Predicate<String>> labels;

  MetricFilter(@Nullable String strict, @Nullable GoRegex regexp, Map<String, Predicate<String>> labels) {
    this.strict = strict;
    this.regexp = regexp;
    this.labels = Map.copyOf(labels);
  }

  boolean nameMatches(String name) {
    return strict != null ? strict.equals(name) : regexp.find(name);
  }

  /** pdata's matchAttrs: every label, when present, has a matching string value; when absent, "" matches. */
  boolean matchesAttributes(List<KeyValue> attrs) {
    for (Map.Entry<String, Predicate<String>> e : labels.entrySet()) {
      String value = "";
      boolean found = false;
      for (KeyValue kv : attrs) {
        if (kv.getKey().equals(e.getKey())) {
          value = Points.str(kv);
          found = true;
          break;
        }
      }
      if (!e.getValue().test(found ? value : "")) {
        return false;
      }
    }
    return true;
  }

  /** The name matches and so does some data point (or the metric has none). */
  boolean matchesMetric(Metric m) {
    if (!nameMatches(m.getName())) {
      return false;
    }
    List<List<KeyValue>> points = Points.attributes(m);
    return points.isEmpty() || points.stream().anyMatch(this::matchesAttributes);
  }

  /** Every data point matches (or there are none): only then may an update change the metric as a whole. */
  boolean matchesAllPoints(Metric m) {
    return Points.attributes(m).stream().allMatch(this::matchesAttributes);
  }

  /**
   * Upstream's extractMatchedMetric: the metric when all its points match, a copy with the matching
   * points when some do, null when its name or none of its points match.
   */
  @Nullable
  Metric extract(Metric m) {
    if (!nameMatches(m.getName())) {
      return null;
    }
    Metric kept = Points.retain(m, this::matchesAttributes);
    return kept != m && Points.count(kept) == 0 ? null : kept;
  }

  /** The regexp's capturing groups, numbered from 1 as Go's subexpressions; empty for a strict filter. */
  List<String> groupNames() {
    return regexp == null ? List.of() : regexp.groupNames().subList(1, regexp.groupNames().size());
  }

  /** The text of each capturing group in {@code name} (null where a group took no part), or null when the name does not match. */
  @Nullable
  String[] submatches(String name) {
    if (regexp == null) {
      return null;
    }
    Matcher m = regexp.pattern().matcher(name);
    if (!m.find()) {
      return null;
    }
    String[] out = new String[m.groupCount()];
    for (int i = 0; i < out.length; i++) {
      out[i] = m.group(i + 1);
    }
    return out;
  }

  /**
   * Go's {@code Regexp.ExpandString} of {@code template} with the groups of {@code name}: {@code $1},
   * {@code ${1}}, {@code $name}, {@code ${name}}, {@code $$}; "" for a strict filter or a name that does not match.
   */
  String expand(String template, String name) {
    if (regexp == null) {
      return "";
    }
    Matcher m = regexp.pattern().matcher(name);
    if (!m.find()) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < template.length()) {
      int dollar = template.indexOf('$', i);
      if (dollar < 0) {
        break;
      }
      out.append(template, i, dollar);
      i = dollar + 1;
      if (i < template.length() && template.charAt(i) == '$') {
        out.append('$');
        i++;
        continue;
      }
      boolean brace = i < template.length() && template.charAt(i) == '{';
      int start = brace ? i + 1 : i;
      int end = start;
      while (end < template.length() && (Character.isLetterOrDigit(template.charAt(end)) || template.charAt(end) == '_')) {
        end++;
      }
      if (end == start || (brace && (end >= template.length() || template.charAt(end) != '}'))) {
        out.append('$'); // malformed: Go writes the $ as text
        continue;
      }
      String group = template.substring(start, end);
      i = brace ? end + 1 : end;
      int index = groupIndex(group);
      if (index >= 0 && index <= m.groupCount() && m.group(index) != null) {
        out.append(m.group(index));
      }
    }
    return out.append(template, Math.min(i, template.length()), template.length()).toString();
  }

  /** A group number (no leading zeros, as Go), else the first group of that name; -1 when there is none. */
  private int groupIndex(String group) {
    if (group.matches("0|[1-9][0-9]{0,7}")) {
      return Integer.parseInt(group);
    }
    List<String> names = regexp.groupNames();
    for (int i = 1; i < names.size(); i++) {
      if (names.get(i).equals(group)) {
        return i;
      }
    }
    return -1;
  }
}
