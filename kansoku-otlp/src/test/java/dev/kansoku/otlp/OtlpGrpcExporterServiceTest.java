package dev.kansoku.otlp;

import static dev.kansoku.otlp.OtlpGrpcExporterTest.logs;
import static dev.kansoku.otlp.OtlpGrpcExporterTest.traces;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.pipeline.builtin.BearerTokenAuthExtensionFactory;
import dev.kansoku.pipeline.config.ConfigLoader;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Both exporters inside a real {@link Service}: configured from collector YAML, authenticated by the
 * bearertokenauth extension through {@code Host}, started, fed, and drained by the service's shutdown.
 */
class OtlpGrpcExporterServiceTest {
  static ExporterTestServer server;

  /** A receiver that only hands its pipeline entries to the test. */
  static final class TestSourceConfig {}

  static final AtomicReference<Consumers> source = new AtomicReference<>();

  static final class TestSourceFactory implements ReceiverFactory<TestSourceConfig> {
    @Override
    public String type() {
      return "testsource";
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public TestSourceConfig createDefaultConfig() {
      return new TestSourceConfig();
    }

    @Override
    public Set<Signal<?>> signals() {
      return Set.copyOf(Signal.ALL);
    }

    @Override
    public Receiver create(TestSourceConfig config, ComponentContext context, Consumers next) {
      source.set(next);
      return new Receiver() {};
    }
  }

  @BeforeAll
  static void startServer() {
    server = new ExporterTestServer();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void yamlConfigured_authenticated_drainedOnShutdown() throws Exception {
    String yaml = """
        extensions:
          bearertokenauth:
            token: s3cret
        receivers:
          testsource:
        exporters:
          otlp:
            endpoint: http://127.0.0.1:%1$d
            auth:
              authenticator: bearertokenauth
          otlphttp:
            endpoint: http://127.0.0.1:%1$d
            auth:
              authenticator: bearertokenauth
        service:
          extensions: [bearertokenauth]
          pipelines:
            traces:
              receivers: [testsource]
              exporters: [otlp, otlphttp]
            logs:
              receivers: [testsource]
              exporters: [otlphttp]
        """.formatted(server.port());
    ComponentRegistry registry = ComponentRegistry.builder()
        .add(new TestSourceFactory())
        .add(new BearerTokenAuthExtensionFactory())
        .add(new OtlpGrpcExporterFactory())
        .add(new OtlpHttpExporterFactory())
        .build();
    ObjectNode root = (ObjectNode) new ObjectMapper(new YAMLFactory()).readTree(yaml);
    Service service = Service.create(new ConfigLoader(registry).load(root), registry);
    service.start();

    source.get().get(Signal.TRACES).orElseThrow().consume(traces(2));
    source.get().get(Signal.LOGS).orElseThrow().consume(logs());
    service.shutdown();

    // Queued by default: only the service's shutdown guarantees delivery, which is what this checks.
    assertThat(server.received).containsExactlyInAnyOrder(traces(2), traces(2), logs());
    assertThat(server.headers).hasSize(3).allSatisfy(h ->
        assertThat(h.get("authorization")).isEqualTo("Bearer s3cret"));
    assertThat(server.headers).extracting(h -> h.path()).containsExactlyInAnyOrder(
        "/opentelemetry.proto.collector.trace.v1.TraceService/Export", "/v1/traces", "/v1/logs");
  }
}
