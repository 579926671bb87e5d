package dev.kansoku.prometheus.relabel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.prometheus.config.RelabelConfig;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RelabelRuleTest {
  private static RelabelConfig rule(String action, List<String> sources, String regex, String target, String replacement) {
    RelabelConfig c = new RelabelConfig();
    c.action = action;
    c.sourceLabels = sources;
    if (regex != null) {
      c.regex = regex;
    }
    if (target != null) {
      c.targetLabel = target;
    }
    if (replacement != null) {
      c.replacement = replacement;
    }
    return c;
  }

  /** Applies {@code c} to {@code in}; null when dropped. */
  private static Map<String, String> check(RelabelConfig c, Map<String, String> in) {
    Map<String, String> labels = new TreeMap<>(in);
    return RelabelRule.process(List.of(RelabelRule.compile(c)), labels) ? labels : null;
  }

  @Test
  void replace_adotAppMeshAddress() {
    // ADOT's `replacement: $${1}:9901` reaches Prometheus as ${1}:9901 once the collector unescapes $$.
    RelabelConfig c = rule("replace", List.of("__address__", "__meta_kubernetes_pod_annotation_prometheus_io_port"),
        "([^:]+)(?::\\d+)?;(\\d+)", "__address__", "${1}:9901");
    assertThat(check(c, Map.of("__address__", "10.0.0.5:8080", "__meta_kubernetes_pod_annotation_prometheus_io_port",
        "15090"))).containsEntry("__address__", "10.0.0.5:9901");
    // Not matching (no port annotation → "10.0.0.5:8080;"): nothing changes.
    assertThat(check(c, Map.of("__address__", "10.0.0.5:8080"))).containsEntry("__address__", "10.0.0.5:8080");
    assertThat(check(rule("replace", List.of("a", "b"), "(.+);(.+)", "c", "$1:$2"), Map.of("a", "x", "b", "y")))
        .containsEntry("c", "x:y");
  }

  @Test
  void replace_defaultsCopyAndEmptyResultDeletes() {
    assertThat(check(rule("replace", List.of("__meta_kubernetes_namespace"), null, "Namespace", null),
        Map.of("__meta_kubernetes_namespace", "default"))).containsEntry("Namespace", "default");
    assertThat(check(rule("replace", List.of("missing"), null, "x", null), Map.of("x", "old"))).doesNotContainKey("x");
    // Go's $1x names group "1x", which does not exist: empty. ${1}x is the way to write it.
    assertThat(check(rule("replace", List.of("a"), "(.*)", "b", "$1x"), Map.of("a", "v"))).doesNotContainKey("b");
    assertThat(check(rule("replace", List.of("a"), "(.*)", "b", "${1}x"), Map.of("a", "v"))).containsEntry("b", "vx");
    assertThat(check(rule("replace", List.of("a"), "(?P<first_part>.)(.*)", "b", "$first_part-$$-$2"), Map.of("a", "vw")))
        .containsEntry("b", "v-$-w");
    assertThat(check(rule("replace", List.of("a"), "(.*)", "label_$1", "x"), Map.of("a", "dyn")))
        .containsEntry("label_dyn", "x");
  }

  @Test
  void keepDrop_anchoredMatch() {
    RelabelConfig keep = rule("keep", List.of("__meta_kubernetes_pod_container_name"), "^envoy$", null, null);
    assertThat(check(keep, Map.of("__meta_kubernetes_pod_container_name", "envoy"))).isNotNull();
    assertThat(check(keep, Map.of("__meta_kubernetes_pod_container_name", "envoy-sidecar"))).isNull();
    // Anchored: "true" does not match "untrue"; '.' spans newlines as (?s).
    assertThat(check(rule("keep", List.of("a"), "true", null, null), Map.of("a", "untrue"))).isNull();
    assertThat(check(rule("drop", List.of("__name__"), "go_gc_duration_seconds.*", null, null),
        Map.of("__name__", "go_gc_duration_seconds_count"))).isNull();
    assertThat(check(rule("drop", List.of("a"), "x.y", null, null), Map.of("a", "x\ny"))).isNull();
  }

  @Test
  void equalActions_caseInsensitiveNames() {
    assertThat(check(rule("KeepEqual", List.of("a"), null, "b", null), Map.of("a", "1", "b", "1"))).isNotNull();
    assertThat(check(rule("keepequal", List.of("a"), null, "b", null), Map.of("a", "1", "b", "2"))).isNull();
    assertThat(check(rule("dropequal", List.of("a"), null, "b", null), Map.of("a", "1", "b", "1"))).isNull();
  }

  @Test
  void labelActions() {
    assertThat(check(rule("labelmap", List.of(), "__meta_kubernetes_pod_label_(.+)", null, null),
        Map.of("__meta_kubernetes_pod_label_app", "web", "x", "y"))).containsEntry("app", "web")
        .containsEntry("__meta_kubernetes_pod_label_app", "web");
    assertThat(check(rule("labeldrop", List.of(), "proxy", null, null), Map.of("proxy", "p", "proxy2", "q")))
        .containsOnlyKeys("proxy2");
    assertThat(check(rule("labelkeep", List.of(), "__.*|job", null, null), Map.of("__name__", "m", "job", "j", "x", "y")))
        .containsOnlyKeys("__name__", "job");
    assertThat(check(rule("lowercase", List.of("a"), null, "b", null), Map.of("a", "AbC"))).containsEntry("b", "abc");
    assertThat(check(rule("uppercase", List.of("a"), null, "b", null), Map.of("a", "AbC"))).containsEntry("b", "ABC");
  }

  @Test
  void hashmod_md5LowBytes() {
    RelabelConfig c = rule("hashmod", List.of("a"), null, "shard", null);
    c.modulus = 1000;
    // md5("foo") ends edef654fccc4a4d8; that as a big-endian uint64 mod 1000 is 696.
    assertThat(check(c, Map.of("a", "foo"))).containsEntry("shard", "696");
  }

  @Test
  void replaceWithoutTargetLabel_loadsAsTheCollectorDoes_andChangesNothing() {
    // ADOT's EKS HAProxy configuration has such a rule; the collector accepts it, Prometheus would not.
    RelabelConfig c = rule("replace", List.of("a"), null, null, null);
    assertThat(check(c, Map.of("a", "node-1", "b", "x"))).isEqualTo(Map.of("a", "node-1", "b", "x"));
  }

  @Test
  void validation_prometheusMessages() {
    assertThatThrownBy(() -> RelabelRule.compile(rule("lowercase", List.of("a"), null, "", null)))
        .hasMessage("relabel configuration for lowercase action requires 'target_label' value");
    RelabelConfig hash = rule("hashmod", List.of("a"), null, "t", null);
    assertThatThrownBy(() -> RelabelRule.compile(hash)).hasMessage("relabel configuration for hashmod requires non-zero modulus");
    assertThatThrownBy(() -> RelabelRule.compile(rule("labeldrop", List.of("a"), "x", null, null)))
        .hasMessage("labeldrop action requires only 'regex', and no other fields");
    assertThatThrownBy(() -> RelabelRule.compile(rule("replce", List.of("a"), null, "t", null)))
        .hasMessageStartingWith("unknown relabel action \"replce\"");
    assertThatThrownBy(() -> RelabelRule.compile(rule("keep", List.of("a"), "(a)\\1", null, null)))
        .hasMessageContaining("error parsing regexp").hasMessageContaining("back-references");
    assertThatThrownBy(() -> RelabelRule.compile(rule("keep", List.of("a"), "a(?=b)", null, null)))
        .hasMessageContaining("invalid or unsupported Perl syntax");
    assertThatThrownBy(() -> RelabelRule.compile(rule("keep", List.of("a"), "(a", null, null)))
        .hasMessageStartingWith("error parsing regexp:");
  }

  @Test
  void goSyntax_translated() {
    assertThat(GoRegex.compile("[[:digit:]]+").matches("123")).isTrue();
    assertThat(GoRegex.compile("[[:^digit:]]+").matches("abc")).isTrue();
    assertThat(GoRegex.compile("a{").matches("a{")).isTrue();
    assertThat(GoRegex.compile("[a&&b]").matches("&")).isTrue();
  }
}
