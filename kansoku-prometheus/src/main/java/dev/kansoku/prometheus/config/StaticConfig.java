package dev.kansoku.prometheus.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One {@code static_configs} entry: fixed targets sharing labels. */
public final class StaticConfig {
  /** host:port of each target. Example: [localhost:9090, 10.0.0.7:9100]. */
  public List<String> targets = new ArrayList<>();
  /** Labels added to every target of this entry. Example: {env: prod}. */
  public Map<String, String> labels = new LinkedHashMap<>();
}
