package dev.kansoku.pipeline.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvExpanderTest {
  private final EnvExpander expander = new EnvExpander(Map.of("REGION", "us-west-2", "EMPTY", "")::get);

  private void check(String input, String expected) {
    List<String> problems = new ArrayList<>();
    assertThat(expander.expandString(input, "x", problems)).isEqualTo(expected);
    assertThat(problems).isEmpty();
  }

  @Test
  void forms() {
    check("${env:REGION}", "us-west-2");
    check("${REGION}", "us-west-2");
    check("xray.${env:REGION}.amazonaws.com", "xray.us-west-2.amazonaws.com");
    check("${env:MISSING}", "");
    check("${env:MISSING:-fallback}", "fallback");
    check("${EMPTY:-fallback}", "fallback");
    check("${env:REGION:-fallback}", "us-west-2");
    check("$$HOME and $$${REGION}", "$HOME and $us-west-2");
    check("price: $5", "price: $5");
    check("no refs", "no refs");
  }

  @Test
  void unsupportedProvider_isAnError() {
    List<String> problems = new ArrayList<>();
    expander.expandString("${file:/etc/x}", "exporters::otlp::endpoint", problems);
    assertThat(problems).containsExactly("exporters::otlp::endpoint: unsupported config provider \"file\" in"
        + " \"${file:/etc/x}\" (supported: ${env:VAR}, ${VAR}, ${env:VAR:-default})");
  }

  @Test
  void expandsValuesNotKeys_inWholeTree() throws Exception {
    var root = ConfigSource.load(List.of("yaml:exporters:\n  ${REGION}:\n    region: ${env:REGION}\n    list: [\"${REGION}\"]"),
        Map.of("REGION", "eu-west-1")::get);
    assertThat(root.path("exporters").has("${REGION}")).isTrue();
    assertThat(root.path("exporters").path("${REGION}").path("region").asText()).isEqualTo("eu-west-1");
    assertThat(root.path("exporters").path("${REGION}").path("list").get(0).asText()).isEqualTo("eu-west-1");
  }
}
