package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.config.ServiceConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scale-out role configurations in deploy/local-cluster validate, and each is the role it says. */
class ClusterRolesConfigTest {
  private static final Map<String, String> ENV = Map.of("KAFKA_BROKERS", "127.0.0.1:9092",
      "OPENSEARCH_URL", "http://127.0.0.1:9200", "OPENSEARCH_REPLICAS", "0");

  private static ServiceConfig load(String role) throws Exception {
    return Kansoku.load(List.of("../deploy/local-cluster/" + role + ".yaml"), ENV::get, Components.registry());
  }

  @Test
  void collector_receivesOtlp_exportsToKafka() throws Exception {
    assertThat(Main.summary(load("collector"))).isEqualTo("traces [otlp -> memory_limiter -> kafka], "
        + "metrics [otlp -> memory_limiter -> kafka], logs [otlp -> memory_limiter -> kafka]");
  }

  @Test
  void ingester_readsKafka_writesTheStore() throws Exception {
    assertThat(Main.summary(load("ingester")))
        .isEqualTo("traces [kafka -> kansoku], metrics [kafka -> kansoku], logs [kafka -> kansoku]");
  }

  @Test
  void query_servesTheStore_andSendsWhatAwsClientsWriteToKafka() throws Exception {
    assertThat(Main.summary(load("query"))).isEqualTo("traces [kansoku -> memory_limiter -> kafka], "
        + "metrics [kansoku -> memory_limiter -> kafka], logs [kansoku -> memory_limiter -> kafka]");
  }
}
