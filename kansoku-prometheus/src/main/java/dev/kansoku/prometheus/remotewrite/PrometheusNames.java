package dev.kansoku.prometheus.remotewrite;

import io.opentelemetry.proto.metrics.v1.Metric;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * OTLP metric and attribute names as Prometheus names, by the rules of the collector's translator
 * (pkg/translator/prometheus and Prometheus's otlptranslator, "UnderscoreEscaping" strategies): unit
 * and {@code _total} suffixes, {@code _ratio} for gauges of unit 1, invalid characters as underscores.
 */
final class PrometheusNames {
  private static final Map<String, String> UNITS = Map.ofEntries(
      Map.entry("d", "days"), Map.entry("h", "hours"), Map.entry("min", "minutes"), Map.entry("s", "seconds"),
      Map.entry("ms", "milliseconds"), Map.entry("us", "microseconds"), Map.entry("ns", "nanoseconds"),
      Map.entry("By", "bytes"), Map.entry("KiBy", "kibibytes"), Map.entry("MiBy", "mebibytes"),
      Map.entry("GiBy", "gibibytes"), Map.entry("TiBy", "tibibytes"), Map.entry("KBy", "kilobytes"),
      Map.entry("MBy", "megabytes"), Map.entry("GBy", "gigabytes"), Map.entry("TBy", "terabytes"),
      Map.entry("m", "meters"), Map.entry("V", "volts"), Map.entry("A", "amperes"), Map.entry("J", "joules"),
      Map.entry("W", "watts"), Map.entry("g", "grams"), Map.entry("Cel", "celsius"), Map.entry("Hz", "hertz"),
      Map.entry("1", ""), Map.entry("%", "percent"));
  private static final Map<String, String> PER_UNITS = Map.of(
      "s", "second", "m", "minute", "h", "hour", "d", "day", "w", "week", "mo", "month", "y", "year");

  private PrometheusNames() {}

  /** The metric's name in Prometheus, before any {@code _bucket}, {@code _sum} or {@code _count}. */
  static String metricName(Metric metric, String namespace, boolean suffixes) {
    if (!suffixes) {
      String name = String.join("_", split(metric.getName(), true));
      if (!namespace.isEmpty()) {
        return String.join("_", split(namespace, true)) + "_" + name;
      }
      return startsWithDigit(name) ? "_" + name : name;
    }
    List<String> tokens = split(metric.getName(), false);
    String unit = metric.getUnit();
    String[] parts = unit.split("/", 2);
    String main = parts[0].strip();
    String mainSuffix = main.isEmpty() || main.contains("{") || main.contains("}") ? ""
        : cleanUnit(UNITS.getOrDefault(main, main));
    String perSuffix = "";
    if (parts.length > 1 && !parts[1].strip().isEmpty() && !parts[1].contains("{") && !parts[1].contains("}")) {
      String per = parts[1].strip();
      perSuffix = "per_" + cleanUnit(PER_UNITS.getOrDefault(per, per));
    }
    if (!mainSuffix.isEmpty() && !tokens.contains(mainSuffix)) {
      tokens.add(mainSuffix);
    }
    if (!perSuffix.isEmpty() && !perSuffix.equals("per_") && !tokens.contains(perSuffix)) {
      tokens.add(perSuffix);
    }
    boolean counter = metric.hasSum() && metric.getSum().getIsMonotonic();
    if (counter) {
      tokens.removeIf("total"::equals);
      tokens.add("total");
    }
    if (unit.equals("1") && metric.hasGauge()) {
      tokens.removeIf("ratio"::equals);
      tokens.add("ratio");
    }
    if (!namespace.isEmpty()) {
      tokens.add(0, namespace);
    }
    String name = String.join("_", tokens);
    return startsWithDigit(name) ? "_" + name : name;
  }

  /**
   * An attribute key as a label name: characters outside [a-zA-Z0-9_] become '_', a leading digit
   * gets "key_" and a single leading underscore "key"; "" when nothing is left.
   */
  static String labelName(String key) {
    if (key.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); ) {
      int cp = key.codePointAt(i);
      b.append(isAsciiAlnum(cp) || cp == '_' ? (char) cp : '_');
      i += Character.charCount(cp);
    }
    if (Character.isDigit(b.charAt(0))) {
      b.insert(0, "key_");
    } else if (b.charAt(0) == '_' && (b.length() < 2 || b.charAt(1) != '_')) {
      b.insert(0, "key");
    }
    return b.toString();
  }

  /** Runs of valid metric-name characters ([a-zA-Z0-9:], and '_' when {@code keepUnderscores}). */
  private static List<String> split(String name, boolean keepUnderscores) {
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i <= name.length(); i++) {
      boolean valid = i < name.length() && isMetricChar(name.charAt(i), keepUnderscores);
      if (valid && start < 0) {
        start = i;
      } else if (!valid && start >= 0) {
        tokens.add(name.substring(start, i));
        start = -1;
      }
    }
    return tokens;
  }

  /** Invalid characters as '_', runs of '_' as one, no leading '_' (the collector's cleanUpUnit). */
  private static String cleanUnit(String unit) {
    String s = String.join("_", split(unit, false));
    return unit.endsWith("_") || !s.isEmpty() && !isMetricChar(unit.charAt(unit.length() - 1), false) ? s + "_" : s;
  }

  private static boolean isMetricChar(char c, boolean underscore) {
    return isAsciiAlnum(c) || c == ':' || underscore && c == '_';
  }

  private static boolean isAsciiAlnum(int c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
  }

  private static boolean startsWithDigit(String s) {
    return !s.isEmpty() && s.charAt(0) >= '0' && s.charAt(0) <= '9';
  }
}
