package dev.kansoku.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The few command-line flags of the benchmark commands: {@code --name value} or {@code --name=value},
 * flags listed in {@code repeatable} may be given several times ({@code --help} is BenchMain's). Unknown
 * flags are errors; values are converted and checked when read, so messages name the flag.
 */
final class Flags {
  private final Map<String, List<String>> values = new LinkedHashMap<>();

  private Flags(Map<String, List<String>> values) {
    this.values.putAll(values);
  }

  static Flags parse(String[] args, Set<String> known, Set<String> repeatable) {
    Map<String, List<String>> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg + " (expected: --flag value; see --help)");
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg.substring(2);
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("--" + name + ": missing value");
        }
        value = args[++i];
      }
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown flag: --" + name + " (see --help)");
      }
      List<String> list = values.computeIfAbsent(name, k -> new ArrayList<>());
      if (!list.isEmpty() && !repeatable.contains(name)) {
        throw new IllegalArgumentException("--" + name + " given twice");
      }
      list.add(value);
    }
    return new Flags(values);
  }

  String string(String name, String dflt) {
    List<String> v = values.get(name);
    return v == null ? dflt : v.get(0);
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  int integer(String name, int dflt, int min) {
    String v = string(name, null);
    if (v == null) {
      return dflt;
    }
    int n;
    try {
      n = Integer.parseInt(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": " + v + " (expected: an integer)");
    }
    if (n < min) {
      throw new IllegalArgumentException("--" + name + ": " + n + " (expected: >= " + min + ")");
    }
    return n;
  }

  Duration duration(String name, Duration dflt) {
    String v = string(name, null);
    return v == null ? dflt : parseDuration("--" + name, v);
  }

  /** {@code 500ms}, {@code 20s}, {@code 2m}, or a bare number of seconds. */
  static Duration parseDuration(String what, String v) {
    try {
      Duration d;
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
      } else if (v.endsWith("m")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
      } else {
        d = Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException(what + ": " + v + " (expected: >= 0)");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": " + v + " (expected: a duration such as 500ms, 20s, 2m)");
    }
  }
}
