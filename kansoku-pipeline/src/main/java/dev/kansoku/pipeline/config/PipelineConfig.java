package dev.kansoku.pipeline.config;

import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Signal;
import java.util.List;

/** One validated entry of {@code service::pipelines}. */
public record PipelineConfig(
    ComponentId id, Signal<?> signal, List<ComponentId> receivers, List<ComponentId> processors,
    List<ComponentId> exporters) {
  public PipelineConfig {
    receivers = List.copyOf(receivers);
    processors = List.copyOf(processors);
    exporters = List.copyOf(exporters);
  }
}
