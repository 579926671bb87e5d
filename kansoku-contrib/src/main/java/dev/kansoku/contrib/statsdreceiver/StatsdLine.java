package dev.kansoku.contrib.statsdreceiver;

import dev.kansoku.contrib.attraction.GoValues;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One StatsD / DogStatsD line as the collector's statsd receiver reads it:
 * {@code <name>:<value>|<type>[|@<rate>][|#k:v,k2:v2][|c:<container id>][|T<unix seconds>]}. Types c,
 * g, h, ms, d; a value starting with + or - is a gauge delta; tags (and the container id, as
 * {@code container.id}) become attributes, sorted by key, a repeated key keeping its last value, as
 * an OpenTelemetry attribute set does.
 *
 * @param attributes sorted by key; with enable_metric_type also {@code metric_type}
 * @param timestamp unix nanoseconds from the T part, 0 when absent
 */
record StatsdLine(String name, Type type, SortedMap<String, String> attributes, double value, boolean addition,
    double sampleRate, long timestamp) {

  /** The line's metric type and its full name (what enable_metric_type writes). */
  enum Type {
    COUNTER("c", "counter"), GAUGE("g", "gauge"), HISTOGRAM("h", "histogram"), TIMING("ms", "timing"),
    DISTRIBUTION("d", "distribution");

    final String symbol;
    final String fullName;

    Type(String symbol, String fullName) {
      this.symbol = symbol;
      this.fullName = fullName;
    }
  }

  /** What a line aggregates under: name, type and attributes. */
  record Key(String name, Type type, SortedMap<String, String> attributes) {}

  Key key() {
    return new Key(name, type, attributes);
  }

  /**
   * @throws IllegalArgumentException with upstream's words for what is wrong, e.g.
   *     {@code unsupported metric type: x}, {@code parse metric value string: 4a}
   */
  static StatsdLine parse(String line, boolean enableMetricType, boolean enableSimpleTags) {
    int bar = line.indexOf('|');
    if (bar < 0) {
      throw new IllegalArgumentException("invalid message format: " + line);
    }
    String nameValue = line.substring(0, bar);
    String rest = line.substring(bar + 1);
    int colon = nameValue.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("invalid <name>:<value> format: " + nameValue);
    }
    String name = nameValue.substring(0, colon);
    String valueText = nameValue.substring(colon + 1);
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty metric name");
    }
    if (valueText.isEmpty()) {
      throw new IllegalArgumentException("empty metric value");
    }
    boolean addition = valueText.startsWith("-") || valueText.startsWith("+");
    String[] parts = rest.split("\\|", -1);
    Type type = null;
    for (Type t : Type.values()) {
      if (t.symbol.equals(parts[0])) {
        type = t;
      }
    }
    if (type == null) {
      throw new IllegalArgumentException("unsupported metric type: " + parts[0]);
    }
    SortedMap<String, String> attrs = new TreeMap<>();
    double sampleRate = 0;
    long timestamp = 0;
    // As upstream's loop: parts are read until the first empty one.
    for (int i = 1; i < parts.length && !parts[i].isEmpty(); i++) {
      String part = parts[i];
      if (part.startsWith("@")) {
        Double rate = GoValues.parseFloat(part.substring(1));
        if (rate == null) {
          throw new IllegalArgumentException("parse sample rate: " + part.substring(1));
        }
        sampleRate = rate;
      } else if (part.startsWith("#")) {
        tags(part.substring(1), enableSimpleTags, attrs);
      } else if (part.startsWith("c:")) {
        if (part.length() > 2) {
          attrs.put("container.id", part.substring(2));
        }
      } else if (part.startsWith("T")) {
        if (type != Type.COUNTER && type != Type.GAUGE) {
          throw new IllegalArgumentException("only GAUGE and COUNT metrics support a timestamp");
        }
        String seconds = part.substring(1);
        if (!seconds.matches("[0-9]{1,20}")) {
          throw new IllegalArgumentException("invalid timestamp: " + seconds);
        }
        try {
          timestamp = Long.parseUnsignedLong(seconds) * 1_000_000_000L; // wraps past 2262, as Go's uint64 does
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("invalid timestamp: " + seconds);
        }
      } else {
        throw new IllegalArgumentException("unrecognized message part: " + part);
      }
    }
    Double value = GoValues.parseFloat(valueText);
    if (value == null) {
      throw new IllegalArgumentException("parse metric value string: " + valueText);
    }
    if (enableMetricType) {
      attrs.put("metric_type", type.fullName);
    }
    return new StatsdLine(name, type, Collections.unmodifiableSortedMap(attrs), value, addition, sampleRate, timestamp);
  }

  /** {@code k:v,k2:v2}: empty entries are skipped (some clients send them); "k" alone only with enable_simple_tags. */
  private static void tags(String tags, boolean simple, SortedMap<String, String> attrs) {
    for (String tag : tags.split(",", -1)) {
      if (tag.isEmpty()) {
        continue;
      }
      int colon = tag.indexOf(':');
      String k = colon < 0 ? tag : tag.substring(0, colon);
      String v = colon < 0 ? "" : tag.substring(colon + 1);
      if (k.isEmpty() || (v.isEmpty() && !simple)) {
        throw new IllegalArgumentException("invalid tag format: \"" + tag + "\"");
      }
      attrs.put(k, v);
    }
  }

  /** A counter's increment: the value divided by a sample rate in (0, 1). */
  double counterValue() {
    return sampleRate > 0 && sampleRate < 1 ? value / sampleRate : value;
  }

  /** How many times a sampled timing or histogram value counts: 1 / rate for a rate in (0, 1). */
  double sampleCount() {
    return sampleRate > 0 && sampleRate < 1 ? 1 / sampleRate : 1;
  }
}
