package dev.kansoku.contrib.attributesprocessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Configuration errors of the attributes processor, each naming its path, at load or at pipeline build. */
class AttributesConfigTest {
  private static String config(String processor, String signal) {
    return "processors:\n  attributes:\n" + processor.indent(4) + """
        receivers: {push: }
        exporters: {capture: }
        service:
          pipelines:
            %s: {receivers: [push], processors: [attributes], exporters: [capture]}
        """.formatted(signal);
  }

  private static void invalid(String processor, String problem) {
    assertThatThrownBy(() -> TestService.load(config(processor, "traces"))).isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems()).isEqualTo(List.of(problem));
  }

  /** Valid on its own, refused when a pipeline of {@code signal} is built, as the collector does. */
  private static void refusedFor(String signal, String processor, String message) throws Exception {
    String yaml = config(processor, signal);
    TestService.load(yaml);
    assertThatThrownBy(() -> TestService.start(yaml).close()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void loadTimeErrors() {
    invalid("{}", "processors::attributes: actions: missing; list at least one action, e.g. {key: environment,"
        + " value: production, action: upsert}");
    invalid("actions: [{key: a, action: upsert}]", "processors::attributes: actions::0: action upsert needs one of"
        + " value, from_attribute, from_context or default_value");
    invalid("actions: [{key: a, action: delete}]\ninclude: {match_type: exact, services: [a]}",
        "processors::attributes: include::match_type: unrecognized match_type \"exact\" (expected strict or regexp)");
    invalid("actions: [{key: a, action: delete}]\nexclude: {services: [a]}",
        "processors::attributes: exclude::match_type: missing (expected strict or regexp)");
    invalid("actions: [{key: a, action: delete}]\ninclude: {match_type: strict}",
        "processors::attributes: include: nothing to match; set at least one of services, span_names, span_kinds,"
            + " attributes, resources, libraries, log_bodies, log_severity_texts, log_severity_number or metric_names");
    invalid("actions: [{key: a, action: delete}]\ninclude: {match_type: regexp, attributes: [{key: code, value: 200}]}",
        "processors::attributes: include::attributes::0::value: match_type regexp compares strings, but the value for"
            + " \"code\" is number; quote it or use match_type strict");
    invalid("actions: [{key: a, action: delete}]\ninclude: {match_type: strict, resources: [{value: x}]}",
        "processors::attributes: include::resources::0::key: missing (an attribute to match needs its key)");
    invalid("actions: [{key: a, action: delete}]\ninclude: {match_type: regexp, services: [ok, 'a(?=b)']}",
        "processors::attributes: include::services::1: error parsing regexp: invalid or unsupported Perl syntax:"
            + " `(?=`: `a(?=b)`");
    invalid("actions: [{key: a, action: delete}]\ninclude: {match_type: regexp, services: [a],"
        + " regexp: {cacheenabled: true, cachemaxnumentries: -1}}",
        "processors::attributes: include::regexp::cachemaxnumentries: -1 (expected: >= 0; 0 is unbounded)");
    // upstream's own regex_insert example has an unnamed group (\\?|\\&), which its processor refuses too
    invalid("actions: [{key: http.url, pattern: '^(?P<http_protocol>.*):\\/\\/(?P<http_domain>.*)(\\?|\\&)',"
        + " action: extract}]", "processors::attributes: actions::0::pattern: \"^(?P<http_protocol>.*):\\/\\/"
        + "(?P<http_domain>.*)(\\?|\\&)\" has a group without a name; name every group, or make it non-capturing with"
        + " (?:...)");
  }

  @Test
  void unknownKeys_areRefusedWithASuggestion() {
    assertThatThrownBy(() -> TestService.load(config("actions: [{key: a, action: delete}]\n"
        + "include: {match_type: strict, span_name: [a]}", "traces"))).isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).problems().get(0)).asString()
        .startsWith("processors::attributes::include: unknown key \"span_name\"").contains("span_names");
  }

  @Test
  void perSignalErrors_whenThePipelineIsBuilt() throws Exception {
    refusedFor("traces", "actions: [{key: a, action: delete}]\ninclude: {match_type: regexp, log_bodies: [x]}",
        "processors::attributes::include: log_bodies should not be specified for trace spans (used in a traces"
            + " pipeline)");
    refusedFor("traces", "actions: [{key: a, action: delete}]\ninclude: {log_severity_number: {min: 9}}",
        "processors::attributes::include: log_severity_number should not be specified for trace spans (used in a"
            + " traces pipeline)");
    refusedFor("traces", "actions: [{key: a, action: delete}]\nexclude: {match_type: strict, span_kinds: [server]}",
        "processors::attributes::exclude: span_kinds: \"server\" is not a span kind; with match_type strict, expected"
            + " one of SPAN_KIND_CLIENT, SPAN_KIND_CONSUMER, SPAN_KIND_INTERNAL, SPAN_KIND_PRODUCER, SPAN_KIND_SERVER"
            + " (used in a traces pipeline)");
    refusedFor("logs", "actions: [{key: a, action: delete}]\ninclude: {match_type: strict, services: [x]}",
        "processors::attributes::include: services, span_names, span_kinds and metric_names are not valid for log"
            + " records (used in a logs pipeline)");
    refusedFor("metrics", "actions: [{key: a, action: delete}]\ninclude: {match_type: strict, attributes: [{key: x}]}",
        "processors::attributes::include: span_names, span_kinds, log_bodies, log_severity_texts, log_severity_number,"
            + " services, attributes and libraries are not valid for metrics (used in a metrics pipeline)");
    refusedFor("metrics", "actions: [{key: a, action: delete}]\ninclude: {log_severity_number: {min: 9}}",
        "processors::attributes::include: span_names, span_kinds, log_bodies, log_severity_texts, log_severity_number,"
            + " services, attributes and libraries are not valid for metrics (used in a metrics pipeline)");
    refusedFor("logs", "actions: [{key: a, action: delete}]\ninclude: {match_type: strict, metric_names: [x]}",
        "processors::attributes::include: services, span_names, span_kinds and metric_names are not valid for log"
            + " records (used in a logs pipeline)");
  }

  @Test
  void upstreamExampleConfigurations_load() throws Exception {
    // processor/attributesprocessor/testdata/config.yaml, those for spans
    for (String processor : List.of(
        "actions: [{key: attribute1, value: 123, action: insert}, {key: string key, from_attribute: anotherkey,"
            + " action: insert}]",
        "actions: [{key: http.url, pattern: '^(?P<http_protocol>.*):\\/\\/(?P<http_domain>.*)\\/(?P<http_path>.*)"
            + "(?:\\?|\\&)(?P<http_query_params>.*)', action: extract}]",
        "exclude: {match_type: strict, services: [svcA, svcB], attributes: [{key: env, value: dev},"
            + " {key: test_request}]}\nactions: [{key: credit_card, action: delete}]",
        "exclude: {match_type: strict, libraries: [{name: mongo-java-driver, version: 3.8.0}]}\n"
            + "actions: [{key: credit_card, action: delete}]",
        "include: {match_type: strict, services: [svcA, svcB]}\nexclude: {match_type: strict,"
            + " attributes: [{key: redact_trace, value: false}]}\nactions: [{key: credit_card, action: delete}]",
        "include: {match_type: regexp, services: [\"auth.*\"]}\nexclude: {match_type: regexp,"
            + " span_names: [\"login.*\"]}\nactions: [{key: password, action: update, value: obfuscated}]",
        "actions: [{key: origin, from_context: metadata.origin, action: insert}, {key: enduser.id,"
            + " from_context: auth.subject, action: insert}]")) {
      assertThat(TestService.load(config(processor, "traces")).pipelines()).hasSize(1);
    }
  }
}
