package dev.kansoku.prometheus.discovery;

import dev.kansoku.prometheus.config.StaticConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code static_configs}: each entry is one target group, given once at start. */
public final class StaticDiscovery implements TargetDiscovery {
  private final List<TargetGroup> groups;

  public StaticDiscovery(List<StaticConfig> configs) {
    List<TargetGroup> out = new ArrayList<>();
    for (int i = 0; i < configs.size(); i++) {
      StaticConfig c = configs.get(i);
      List<Map<String, String>> targets = new ArrayList<>();
      for (String t : c.targets) {
        targets.add(Map.of("__address__", t));
      }
      out.add(new TargetGroup(String.valueOf(i), targets, c.labels));
    }
    this.groups = List.copyOf(out);
  }

  /** Checks what Prometheus checks of a static target: an address, not a URL. */
  public static void validate(List<StaticConfig> configs, String path) {
    for (int i = 0; i < configs.size(); i++) {
      for (String t : configs.get(i).targets) {
        if (t == null || t.isEmpty() || t.contains("/")) {
          throw new IllegalArgumentException(path + "::" + i + "::targets: \"" + t + "\" is not a valid hostname"
              + " (expected host:port, without scheme or path)");
        }
      }
    }
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    updates.accept(groups);
  }

  @Override
  public void close() {}
}
