package dev.kansoku.pipeline.config;

import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole configuration, validated: every component's typed configuration, the pipelines, and the
 * extensions to run. Everything in it refers to something that exists and supports its use.
 */
public record ServiceConfig(
    Map<ComponentKind, Map<ComponentId, Object>> components, List<ComponentId> extensions,
    List<PipelineConfig> pipelines, String logLevel) {
  public ServiceConfig {
    Map<ComponentKind, Map<ComponentId, Object>> copy = new EnumMap<>(ComponentKind.class);
    for (ComponentKind kind : ComponentKind.values()) {
      copy.put(kind, new LinkedHashMap<>(components.getOrDefault(kind, Map.of())));
    }
    components = copy;
    extensions = List.copyOf(extensions);
    pipelines = List.copyOf(pipelines);
  }

  public Object config(ComponentKind kind, ComponentId id) {
    return components.get(kind).get(id);
  }
}
