package dev.kansoku.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {
  @Test
  void deepMerge_mapsMergeListsReplace() throws Exception {
    var root = ConfigSource.load(List.of(
        "yaml:a: {b: 1, c: {d: 2}, l: [1, 2]}",
        "yaml:a: {c: {e: 3}, l: [9]}"), name -> null);
    assertThat(root.toString()).isEqualTo("{\"a\":{\"b\":1,\"c\":{\"d\":2,\"e\":3},\"l\":[9]}}");
  }

  @Test
  void envSource_readsWholeYamlFromVariable() throws Exception {
    var root = ConfigSource.load(List.of("env:AOT_CONFIG_CONTENT"),
        Map.of("AOT_CONFIG_CONTENT", "receivers:\n  otlp:\n")::get);
    assertThat(root.has("receivers")).isTrue();
  }

  @Test
  void fileSource(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, "service: {}\n");
    assertThat(ConfigSource.load(List.of(f.toString()), name -> null).has("service")).isTrue();
    assertThat(ConfigSource.load(List.of("file:" + f), name -> null).has("service")).isTrue();
  }

  @Test
  void errors() {
    assertThatThrownBy(() -> ConfigSource.load(List.of("/no/such.yaml"), name -> null))
        .hasMessage("--config /no/such.yaml: no such file");
    assertThatThrownBy(() -> ConfigSource.load(List.of("env:NOPE"), name -> null))
        .hasMessage("--config env:NOPE: environment variable NOPE is not set or empty");
    assertThatThrownBy(() -> ConfigSource.load(List.of("yaml:- a\n- b"), name -> null))
        .hasMessageStartingWith("--config yaml:- a\n- b: expected a map of receivers");
    assertThatThrownBy(() -> ConfigSource.load(List.of("yaml:a: [1"), name -> null))
        .hasMessageContaining("not valid YAML");
  }
}
