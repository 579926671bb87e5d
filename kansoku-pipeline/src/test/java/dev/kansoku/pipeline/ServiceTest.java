package dev.kansoku.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.pipeline.testing.TestData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceTest {
  private final TestComponents components = new TestComponents();

  private Service service(String yaml) throws Exception {
    return Service.create(new ConfigLoader(components.registry()).load(ConfigSource.load(List.of("yaml:" + yaml),
        name -> null)), components.registry());
  }

  @Test
  void shutdown_flushesPendingBatchIntoLiveExporter() throws Exception {
    Service s = service("""
        receivers: {push: }
        processors: {batch: {timeout: 1h, send_batch_size: 1000}}
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [batch], exporters: [capture]}}}
        """);
    s.start();
    components.receiver("push").push(Signal.TRACES, TestData.traces(1, 1, 10, 0));
    assertThat(components.exporter("capture").items(Signal.TRACES)).isZero();

    s.shutdown();

    assertThat(components.exporter("capture").items(Signal.TRACES)).isEqualTo(10);
    assertThat(components.exporter("capture").shutDown()).isTrue();
    assertThat(components.receiver("push").started()).isFalse();
  }

  @Test
  void oneReceiver_feedsEveryPipelineOfItsSignal_andExportersFanOut() throws Exception {
    Service s = service("""
        receivers: {push: }
        exporters: {capture/a: , capture/b: }
        service:
          pipelines:
            traces: {receivers: [push], exporters: [capture/a, capture/b]}
            traces/2: {receivers: [push], exporters: [capture/b]}
            logs: {receivers: [push], exporters: [capture/a]}
        """);
    s.start();
    components.receiver("push").push(Signal.TRACES, TestData.traces(1, 1, 3, 0));
    components.receiver("push").push(Signal.LOGS, TestData.logs(1, 1, 2, 0));
    s.shutdown();

    assertThat(components.exporter("capture/a").items(Signal.TRACES)).isEqualTo(3);
    assertThat(components.exporter("capture/b").items(Signal.TRACES)).isEqualTo(6);
    assertThat(components.exporter("capture/a").items(Signal.LOGS)).isEqualTo(2);
    assertThat(components.exporter("capture/b").items(Signal.LOGS)).isZero();
  }

  @Test
  void components_readTheEnvironmentTheServiceWasCreatedWith() throws Exception {
    List<String> seen = new ArrayList<>();
    ExtensionFactory<TestComponents.NoConfig> probe = new ExtensionFactory<>() {
      @Override
      public String type() {
        return "probe";
      }

      @Override
      public Stability stability() {
        return Stability.DEVELOPMENT;
      }

      @Override
      public TestComponents.NoConfig createDefaultConfig() {
        return new TestComponents.NoConfig();
      }

      @Override
      public Extension create(TestComponents.NoConfig config, ComponentContext context) {
        seen.add(context.env().apply("ECS_CONTAINER_METADATA_URI_V4"));
        return new Extension() {
          @Override
          public void start(Host host) {}

          @Override
          public void shutdown() {}
        };
      }
    };
    ComponentRegistry registry = components.registry(probe);
    String yaml = """
        extensions: {probe: }
        receivers: {push: }
        exporters: {capture: }
        service: {extensions: [probe], pipelines: {traces: {receivers: [push], exporters: [capture]}}}
        """;
    Map<String, String> env = Map.of("ECS_CONTAINER_METADATA_URI_V4", "http://127.0.0.1:9/v4/task");

    Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), env::get)), registry,
        env::get).shutdown();
    Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), env::get)), registry)
        .shutdown();

    assertThat(seen).containsExactly("http://127.0.0.1:9/v4/task", System.getenv("ECS_CONTAINER_METADATA_URI_V4"));
  }

  @Test
  void shutdown_isIdempotent_andSafeWithoutStart() throws Exception {
    Service s = service("""
        receivers: {push: }
        exporters: {capture: }
        service: {pipelines: {metrics: {receivers: [push], exporters: [capture]}}}
        """);
    s.shutdown();
    s.shutdown();
    assertThat(components.exporter("capture").shutDown()).isTrue();
  }

  @Test
  void receiver_asksTheMemoryLimitersOfItsPipelines_onceEach() throws Exception {
    Service s = service("""
        receivers: {push: }
        processors: {memory_limiter: {check_interval: 1s, limit_mib: 100000, spike_limit_mib: 10}}
        exporters: {capture: }
        service:
          pipelines:
            traces: {receivers: [push], processors: [memory_limiter], exporters: [capture]}
            traces/2: {receivers: [push], processors: [memory_limiter], exporters: [capture]}
            logs: {receivers: [push], exporters: [capture]}
        """);
    s.start();
    try {
      Admission traces = components.receiver("push").admission(Signal.TRACES);
      // 6 MiB is admitted once, not once per pipeline (which would make 12 of the 10 MiB headroom)
      Admission.Permit first = traces.admit(6L << 20);
      assertThatThrownBy(() -> traces.admit(6L << 20)).isInstanceOfSatisfying(ConsumeException.class,
          e -> assertThat(e.reason()).isEqualTo(ConsumeException.Reason.OVERLOADED));
      first.close();
      traces.admit(6L << 20).close();
      assertThat(components.receiver("push").admission(Signal.LOGS)).isSameAs(Admission.ALWAYS);
    } finally {
      s.shutdown();
    }
  }
}
