package dev.kansoku.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.config.PipelineConfig;
import dev.kansoku.pipeline.config.ServiceConfig;
import dev.kansoku.server.Components;
import dev.kansoku.server.Kansoku;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineThroughputConfigTest {
  private static List<String> processors(ServiceConfig config) {
    assertThat(config.pipelines()).hasSize(3);
    PipelineConfig first = config.pipelines().get(0);
    return first.processors().stream().map(ComponentId::toString).toList();
  }

  @Test
  void seedAndAdotConfigurations_loadWithTheBuildsComponents() throws Exception {
    ServiceConfig seed = Kansoku.load(List.of("yaml:" + PipelineThroughputCommand.CONFIG.formatted(1, 2, "", "")),
        n -> null, Components.registry());
    assertThat(processors(seed)).containsExactly("memory_limiter", "batch");
    ServiceConfig adot = Kansoku.load(List.of("yaml:" + PipelineThroughputCommand.CONFIG.formatted(1, 2,
        PipelineThroughputCommand.adotProcessors(), "resource, attributes, filter, ")), n -> null,
        Components.registry());
    assertThat(processors(adot)).containsExactly("memory_limiter", "resource", "attributes", "filter", "batch");
  }
}
