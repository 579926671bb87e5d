package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.PipelineConfig;
import dev.kansoku.pipeline.config.ServiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A collector YAML with {@code kafka} as exporter and as receiver validates through the server's registry. */
class KafkaConfigTest {
  private static final String YAML = "src/test/resources/config/kafka-collector.yaml";

  @Test
  void kafkaInBothRoles_validates() throws Exception {
    ServiceConfig config = Kansoku.load(List.of(YAML), Map.of("KAFKA_PASSWORD", "s3cret")::get, Components.registry());
    assertThat(config.pipelines()).extracting(PipelineConfig::id).extracting(ComponentId::toString)
        .containsExactly("traces/collect", "traces/ingest", "metrics/ingest", "logs/ingest");
    assertThat(config.config(ComponentKind.RECEIVER, ComponentId.parse("kafka"))).isNotNull();
    assertThat(config.config(ComponentKind.EXPORTER, ComponentId.parse("kafka"))).isNotNull();
  }

  @Test
  void kafkaMistakes_reportedWithPathAndHint() throws Exception {
    String yaml = Files.readString(Path.of(YAML)).replace("initial_offset: earliest", "initial_offset: oldest")
        .replace("partition_traces_by_id: true", "partition_trace_by_id: true");
    assertThatThrownBy(() -> Kansoku.load(List.of("yaml:" + yaml), Map.of("KAFKA_PASSWORD", "x")::get,
        Components.registry()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
            "receivers::kafka: initial_offset: \"oldest\" (expected: latest or earliest)",
            "exporters::kafka: unknown key \"partition_trace_by_id\", did you mean \"partition_traces_by_id\"?"));
  }
}
