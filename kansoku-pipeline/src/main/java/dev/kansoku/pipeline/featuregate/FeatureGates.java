package dev.kansoku.pipeline.featuregate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The registry of feature gates, one per process as the collector's global registry: each component
 * registers its gates when its class loads, the command line's {@code --feature-gates} sets them, and
 * the component reads them when it builds its default configuration or starts.
 */
public final class FeatureGates {
  private static final FeatureGates GLOBAL = new FeatureGates();

  private final Map<String, FeatureGate> gates = new TreeMap<>();

  FeatureGates() {}

  public static FeatureGates global() {
    return GLOBAL;
  }

  /** Registers a gate; an id registered twice is a programming error. */
  public synchronized FeatureGate register(String id, FeatureGate.Stage stage, String description,
      String fromVersion) {
    FeatureGate gate = new FeatureGate(id, stage, description, fromVersion);
    if (gates.putIfAbsent(id, gate) != null) {
      throw new IllegalStateException("feature gate \"" + id + "\" registered twice");
    }
    return gate;
  }

  /** Every registered gate, by id. */
  public synchronized List<FeatureGate> gates() {
    return new ArrayList<>(gates.values());
  }

  /**
   * Applies one {@code --feature-gates} value, as the collector reads it: comma-separated ids, each
   * enabled, or disabled with a leading {@code -} ({@code +} also enables). Nothing changes when any
   * entry is wrong.
   *
   * @throws IllegalArgumentException naming every unknown id, and stable gates disabled or deprecated
   *     ones enabled
   */
  public synchronized void apply(String flag) {
    List<String> problems = new ArrayList<>();
    Map<FeatureGate, Boolean> changes = new LinkedHashMap<>();
    for (String raw : flag.split(",")) {
      String entry = raw.strip();
      if (entry.isEmpty()) {
        continue;
      }
      boolean on = !entry.startsWith("-");
      String id = entry.startsWith("-") || entry.startsWith("+") ? entry.substring(1) : entry;
      FeatureGate gate = gates.get(id);
      if (gate == null) {
        problems.add("no such feature gate \"" + id + "\"");
      } else if (gate.stage() == FeatureGate.Stage.STABLE && !on) {
        problems.add("feature gate \"" + id + "\" is stable, can not be disabled");
      } else if (gate.stage() == FeatureGate.Stage.DEPRECATED && on) {
        problems.add("feature gate \"" + id + "\" is deprecated, can not be enabled");
      } else {
        changes.put(gate, on);
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems) + " (known: " + String.join(", ", gates.keySet()) + ")");
    }
    changes.forEach(FeatureGate::set);
  }
}
