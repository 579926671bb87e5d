package dev.kansoku.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestComponents;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(new TestComponents().registry());

  private ServiceConfig load(String yaml) throws ConfigException {
    return loader.load(ConfigSource.load(List.of("yaml:" + yaml), name -> null));
  }

  /** Loading {@code yaml} fails with exactly {@code problems}, in order. */
  private void check(String yaml, String... problems) {
    assertThatThrownBy(() -> load(yaml))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(problems));
  }

  @Test
  void laterSourcesMergeOverEarlierOnes() throws Exception {
    ServiceConfig c = loader.load(ConfigSource.load(List.of(
        "yaml:receivers: {push: }\nexporters: {capture: }\n"
            + "service: {pipelines: {traces: {receivers: [push], exporters: [capture]}}}",
        "yaml:exporters: {capture/2: }\nservice: {pipelines: {traces: {exporters: [capture/2]}}}"), name -> null));
    assertThat(c.pipelines().get(0).receivers()).containsExactly(ComponentId.parse("push"));
    assertThat(c.pipelines().get(0).exporters()).containsExactly(ComponentId.parse("capture/2"));
  }

  @Test
  void pipelines_resolveIdsAndSignals() throws Exception {
    ServiceConfig c = load("""
        receivers: {push: , push/2: }
        processors: {batch: {send_batch_size: 10}, memory_limiter: {check_interval: 1s, limit_mib: 100}}
        exporters: {capture: }
        service:
          pipelines:
            traces: {receivers: [push], processors: [memory_limiter, batch], exporters: [capture]}
            logs/b: {receivers: [push/2], exporters: [capture]}
        """);
    assertThat(c.pipelines()).extracting(PipelineConfig::id, PipelineConfig::signal).containsExactly(
        org.assertj.core.groups.Tuple.tuple(ComponentId.parse("traces"), Signal.TRACES),
        org.assertj.core.groups.Tuple.tuple(ComponentId.parse("logs/b"), Signal.LOGS));
    assertThat(c.pipelines().get(0).processors())
        .containsExactly(ComponentId.parse("memory_limiter"), ComponentId.parse("batch"));
    assertThat(c.config(ComponentKind.RECEIVER, ComponentId.parse("push/2"))).isNotNull();
  }

  @Test
  void unknownKey_namesPathAndNearestKey() {
    check("""
        processors: {batch: {send_batch_sise: 10}}
        receivers: {push: }
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [batch], exporters: [capture]}}}
        """, "processors::batch: unknown key \"send_batch_sise\", did you mean \"send_batch_size\"?");
  }

  @Test
  void unknownKey_farFromAnything_listsValidKeys() {
    check("""
        processors: {batch: {zzz: 1}}
        receivers: {push: }
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [batch], exporters: [capture]}}}
        """, "processors::batch: unknown key \"zzz\" (valid keys: send_batch_max_size, send_batch_size, timeout)");
  }

  @Test
  void referenceToUnconfiguredProcessor() {
    check("""
        receivers: {push: }
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [batch], exporters: [capture]}}}
        """, "service::pipelines::traces: references processor \"batch\" which is not configured");
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    check("""
        recievers: {push: }
        processors:
          memory_limiter: {check_interval: 0s, limit_mib: 100}
          batch: {timeout: soon}
        exporters: {capture: , awsxray: }
        service:
          extensions: [health_check]
          pipelines:
            traces: {receivers: [push], processors: [batch, batch], exporters: [capture]}
            metric: {receivers: [push], exporters: [capture]}
            logs: {exporters: [capture]}
        """,
        "recievers: unknown top-level key, did you mean \"receivers\"?",
        "processors::memory_limiter: check_interval: 0s (expected: > 0, e.g. 1s)",
        "processors::batch::timeout: cannot use \"soon\" (expected: a duration such as 200ms, 5s, 1m30s)",
        "exporters::awsxray: unknown exporter type \"awsxray\" (valid exporter types: capture, debug, nop)",
        "service::extensions: references extension \"health_check\" which is not configured",
        "service::pipelines::traces: references receiver \"push\" which is not configured",
        "service::pipelines::metric: unknown signal \"metric\", did you mean \"metrics\"?",
        "service::pipelines::logs: must have at least one receiver");
  }

  @Test
  void duplicateProcessorInOnePipeline() {
    check("""
        receivers: {push: }
        processors: {batch: }
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [batch, batch], exporters: [capture]}}}
        """, "service::pipelines::traces: references processor \"batch\" more than once");
  }

  @Test
  void noPipelines() {
    check("receivers: {push: }\nservice: {}\n",
        "service::pipelines: no pipelines are configured; add at least one (traces, metrics or logs)");
    check("receivers: {push: }\n", "service: missing; it must list the pipelines to run (service::pipelines)");
  }

  @Test
  void extensionsWithoutPipelinesRunAlone() throws ConfigException {
    ServiceConfig config = load("extensions: {bearertokenauth: {token: t}}\n"
        + "service: {extensions: [bearertokenauth]}\n");
    assertThat(config.pipelines()).isEmpty();
    assertThat(config.extensions()).extracting(ComponentId::toString).containsExactly("bearertokenauth");
  }

  @Test
  void badIds() {
    check("""
        receivers: {"push/": }
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], exporters: [capture]}}}
        """,
        "receivers::push/: id \"push/\" has an empty name after \"/\" (expected: type[/name])",
        "service::pipelines::traces: references receiver \"push\" which is not configured");
  }

  @Test
  void memoryLimiter_validation() {
    String rest = """
        receivers: {push: }
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [memory_limiter], exporters: [capture]}}}
        """;
    check("processors: {memory_limiter: {check_interval: 1s}}\n" + rest,
        "processors::memory_limiter: set limit_mib or limit_percentage (expected: > 0)");
    check("processors: {memory_limiter: {check_interval: 1s, limit_mib: 100, spike_limit_mib: 100}}\n" + rest,
        "processors::memory_limiter: spike_limit_mib: 100 (expected: < limit_mib 100)");
    check("processors: {memory_limiter: {check_interval: 1s, limit_percentage: 120}}\n" + rest,
        "processors::memory_limiter: limit_percentage: 120, spike_limit_percentage: 0 (expected: 0 to 100)");
    check("processors: {memory_limiter: {check_interval: 1s, limit_mib: many}}\n" + rest,
        "processors::memory_limiter::limit_mib: cannot use \"many\" (expected: a whole number)");
  }

  @Test
  void batch_validation() {
    check("""
        processors: {batch: {send_batch_size: 100, send_batch_max_size: 10}}
        receivers: {push: }
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [batch], exporters: [capture]}}}
        """, "processors::batch: send_batch_max_size: 10 (expected: 0 or >= send_batch_size 100)");
  }

  @Test
  void sectionOfWrongShape() {
    check("""
        processors: {batch: [1, 2]}
        receivers: {push: }
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [push], processors: [batch], exporters: [capture]}}}
        """, "processors::batch: expected a map of settings, got array");
  }

  @Test
  void telemetryLogLevel() throws Exception {
    ServiceConfig c = load("""
        receivers: {push: }
        exporters: {capture: }
        service:
          telemetry: {logs: {level: DEBUG}}
          pipelines: {traces: {receivers: [push], exporters: [capture]}}
        """);
    assertThat(c.logLevel()).isEqualTo("debug");
    check("""
        receivers: {push: }
        exporters: {capture: }
        service:
          telemetry: {metrics: {address: ":8888"}}
          pipelines: {traces: {receivers: [push], exporters: [capture]}}
        """, "service::telemetry: unknown key \"metrics\" (valid keys: logs); Kansoku reads only"
        + " service::telemetry::logs::level");
  }
}
