package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.ComponentKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class MainTest {
  private static final String SEED = "src/test/resources/config/seed-collector.yaml";
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Runs one command; out() and err() then hold what that command printed. */
  private int run(Function<String, String> env, String... args) {
    out.reset();
    err.reset();
    return Main.execute(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void validate_builtinDefault() {
    assertThat(run(name -> null, "validate")).isZero();
    assertThat(out()).isEqualTo("Configuration is valid (the built-in default configuration): "
        + "traces [otlp+kansoku -> memory_limiter -> kansoku], metrics [otlp+kansoku -> memory_limiter -> kansoku], "
        + "logs [otlp+kansoku -> memory_limiter -> kansoku]\n");
  }

  @Test
  void validate_seedVerbatim() {
    assertThat(run(name -> null, "validate", "--config", SEED)).as(err()).isZero();
    assertThat(out()).isEqualTo("Configuration is valid (--config " + SEED + "): "
        + "traces [otlp -> memory_limiter -> batch -> awsxray], metrics [otlp -> memory_limiter -> batch -> awsemf]\n");
  }

  @Test
  void aotConfigContent_isUsedWithoutConfigFlag() throws Exception {
    String yaml = Files.readString(Path.of(SEED)).replace("[awsxray]", "[debug]").replace("[awsemf]", "[debug]")
        .replaceAll("(?s)exporters:\n  awsxray:.*?\nservice:", "exporters:\n  debug:\n\nservice:");
    assertThat(run(Map.of("AOT_CONFIG_CONTENT", yaml)::get, "validate")).as(err()).isZero();
    assertThat(out()).isEqualTo("Configuration is valid (environment variable AOT_CONFIG_CONTENT): "
        + "traces [otlp -> memory_limiter -> batch -> debug], metrics [otlp -> memory_limiter -> batch -> debug]\n");
  }

  @Test
  void configFlag_winsOverAotConfigContent() {
    assertThat(run(Map.of("AOT_CONFIG_CONTENT", "not: [valid")::get, "validate", "--config", SEED)).isZero();
    assertThat(out()).startsWith("Configuration is valid (--config " + SEED + ")");
  }

  @Test
  void components_printsEachFactoryOnce_withItsStability_asOtelcolDoes() {
    assertThat(run(name -> null, "components")).isZero();
    String out = out();
    assertThat(out).startsWith("buildinfo:\n    command: kansoku\n    description: Kansoku\n    version: ");
    assertThat(out).contains("""
        receivers:
            - name: awscontainerinsight
              module: dev.kansoku.aws.containerinsight (development)
              stability:
                logs: Undefined
                metrics: Beta
                traces: Undefined
        """);
    assertThat(out).contains("""
            - name: otlp
              module: dev.kansoku.otlp (development)
              stability:
                logs: Stable
                metrics: Stable
                traces: Stable
        """);
    assertThat(out).contains("""
            - name: filter
              module: dev.kansoku.contrib.filterprocessor (development)
              stability:
                logs: Alpha
                metrics: Alpha
                traces: Alpha
        """);
    assertThat(out).contains("""
            - name: health_check
              module: dev.kansoku.contrib.healthcheck (development)
              stability:
                extension: Alpha
        """);
    assertThat(out).contains("connectors: []\nextensions:\n")
        .contains("providers:\n    - scheme: env\n      module: dev.kansoku.server (development)\n");
    // Each factory once, under its current name: a deprecated alias is not listed, as by otelcol.
    assertThat(names(out, "receivers")).containsExactly("awscontainerinsight", "awsecscontainermetrics", "awsxray",
        "kafka", "kansoku", "otlp", "prometheus", "statsd");
    assertThat(names(out, "processors")).containsExactly("attributes", "batch", "filter", "memory_limiter",
        "metricstransform", "resource", "resource_detection");
    assertThat(names(out, "exporters")).containsExactly("awsemf", "awsxray", "debug", "file", "kafka", "kansoku",
        "nop", "otlp_grpc", "otlp_http", "prometheus_remote_write");
    assertThat(names(out, "extensions")).containsExactly("awsproxy", "bearertokenauth", "health_check", "kansoku",
        "pprof", "sigv4auth");
    int listed = 0;
    for (ComponentKind kind : ComponentKind.values()) {
      listed += names(out, kind.configKey()).size();
      assertThat(names(out, kind.configKey())).doesNotHaveDuplicates()
          .hasSize(Components.registry().factories(kind).size());
    }
    assertThat(out.split("\n    - name: ", -1)).hasSize(listed + 1);
  }

  @Test
  void featureGates_fromTheCommandLine_shownByComponentsAndFeaturegate() {
    try {
      assertThat(run(name -> null, "components", "--feature-gates=awsemf.nodimrollupdefault,-exporter.xray.allowDot"))
          .as(err()).isZero();
      assertThat(out()).contains("featuregates:\n").contains("""
              - id: awsemf.nodimrollupdefault
                stage: Alpha
                enabled: true
                from_version: v0.83.0
          """).contains("""
              - id: exporter.xray.allowDot
                stage: Beta
                enabled: false
          """);
      assertThat(run(name -> null, "featuregate", "exporter.awsxray.skiptimestampvalidation")).isZero();
      assertThat(out()).isEqualTo("""
          Feature: exporter.awsxray.skiptimestampvalidation
          Enabled: true
          Stage: Beta
          Description: Remove X-Ray's timestamp validation on the first 32 bits of the trace ID
          From Version: v0.84.0
          """);
      assertThat(run(name -> null, "featuregate")).isZero();
      assertThat(out()).startsWith("ID  ").contains("\nawsemf.nodimrollupdefault ").contains(" true     Alpha ");
    } finally {
      assertThat(run(name -> null, "validate", "--config", SEED,
          "--feature-gates", "-awsemf.nodimrollupdefault,+exporter.xray.allowDot")).isZero();
    }
    assertThat(run(name -> null, "validate", "--config", SEED, "--feature-gates", "exporter.datadog.x")).isEqualTo(2);
    assertThat(err()).startsWith("--feature-gates: no such feature gate \"exporter.datadog.x\" (known: ");
    assertThat(run(name -> null, "components", "--feature-gates=-receiver.prometheusreceiver.RemoveStartTimeAdjustment"))
        .isEqualTo(2);
    assertThat(err()).contains("is stable, can not be disabled");
    assertThat(run(name -> null, "featuregate", "nope")).isEqualTo(1);
  }

  /** The component names of one section of the components YAML. */
  private static List<String> names(String yaml, String section) {
    List<String> names = new ArrayList<>();
    boolean inSection = false;
    for (String line : yaml.split("\n")) {
      if (!line.startsWith(" ")) {
        inSection = line.equals(section + ":");
      } else if (inSection && line.startsWith("    - name: ")) {
        names.add(line.substring("    - name: ".length()));
      }
    }
    return names;
  }

  @Test
  void theOtlpExportersNewNames_areTheSameExporters() {
    String yaml = "yaml:receivers: {otlp: {protocols: {grpc: }}}\n"
        + "exporters: {otlp_grpc: {endpoint: \"localhost:4317\", tls: {insecure: true}},"
        + " otlp_http/backend: {endpoint: \"http://localhost:4318\"}}\n"
        + "service: {pipelines: {traces: {receivers: [otlp], exporters: [otlp_grpc, otlp_http/backend]}}}";
    assertThat(run(name -> null, "validate", "--config", yaml)).as(err()).isZero();
    assertThat(out()).contains("traces [otlp -> otlp_grpc+otlp_http/backend]");
    // The old names' keys apply to the new: an otlphttp key unknown to the gRPC exporter is refused.
    assertThat(run(name -> null, "validate", "--config", yaml.replace("tls: {insecure: true}", "traces_endpoint: x")))
        .isEqualTo(1);
    assertThat(err()).contains("exporters::otlp_grpc: unknown key \"traces_endpoint\"");
  }

  @Test
  void badArguments_exit2WithUsage() {
    assertThat(run(name -> null, "--bogus")).isEqualTo(2);
    assertThat(err()).startsWith("unknown argument \"--bogus\"").contains("Usage: kansoku");
    assertThat(run(name -> null, "--config")).isEqualTo(2);
  }
}
