package dev.kansoku.contrib.filterprocessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Load-time errors of {@code filter}: each names its key and, for OTTL, the condition Kansoku cannot read. */
class FilterConfigTest {
  private static void refused(String filter, String message) {
    assertThatThrownBy(() -> TestService.load(FilterPipelines.yaml("metrics", filter)))
        .isInstanceOf(ConfigException.class).hasMessage("processors::filter: " + message);
  }

  @Test
  void valid_everyKeyLoads() throws Exception {
    assertThat(TestService.load(FilterPipelines.yaml("metrics", """
        error_mode: ignore
        metrics:
          include:
            match_type: strict
            metric_names: [ecs.task.memory.reserved, ecs.task.memory.utilized]
            resource_attributes: [{key: ClusterName}]
            regexp: {cacheenabled: true, cachemaxnumentries: 10}
          exclude: {match_type: regexp, metric_names: [".*_temp$"]}
        logs:
          include:
            match_type: regexp
            resource_attributes: [{key: host, value: "web-.*"}]
            record_attributes: [{key: level}]
            severity_texts: ["WARN.*"]
            severity_number: {min: warn, match_undefined: true}
            bodies: [timeout]
        spans:
          exclude: {match_type: strict, span_names: [health], span_kinds: [SPAN_KIND_INTERNAL]}
        """)).pipelines()).hasSize(1);
    assertThat(TestService.load(FilterPipelines.yaml("traces", """
        traces:
          resource: ['attributes["service.name"] == "canary"']
          span: ['kind == SPAN_KIND_SERVER and IsMatch(attributes["url.path"], "^/health")']
          spanevent: ['name == "exception" and not (span.status.code == STATUS_CODE_ERROR)']
        metrics:
          metric: ['type == METRIC_DATA_TYPE_SUMMARY or unit == "By"']
          datapoint: ['value_int < -1 or value_double >= 0.5e3']
        logs:
          log_record: ['severity_number <= SEVERITY_NUMBER_DEBUG4', 'body == nil']
        """)).pipelines()).hasSize(1);
  }

  @Test
  void ottl_unsupportedOrMalformed_isRefusedNamingTheCondition() {
    refused("metrics: {metric: ['Substring(name, 0, 3) == \"jvm\"']}", "metrics::metric::0: unable to parse OTTL"
        + " condition \"Substring(name, 0, 3) == \"jvm\"\": function Substring is not supported by Kansoku's OTTL"
        + " conditions (supported: IsMatch)");
    refused("metrics: {datapoint: ['value_int + 1 > 2']}", "metrics::datapoint::0: unable to parse OTTL condition"
        + " \"value_int + 1 > 2\": math expressions (+) are not supported by Kansoku's OTTL conditions");
    refused("metrics: {metric: ['name == \"a\"', 'nme == \"b\"']}", "metrics::metric::1: unable to parse OTTL"
        + " condition \"nme == \"b\"\": \"nme\" is not a path of the metric context that Kansoku reads (supported:"
        + " name, description, unit, type, aggregation_temporality, is_monotonic, resource.attributes[\"key\"],"
        + " instrumentation_scope.name, instrumentation_scope.version)");
    refused("traces: {span: ['kind == SPAN_KIND_SERVERS']}", "traces::span::0: unable to parse OTTL condition"
        + " \"kind == SPAN_KIND_SERVERS\": enum symbol SPAN_KIND_SERVERS is not one of the span context's");
    refused("traces: {span: ['name = \"x\"']}", "traces::span::0: unable to parse OTTL condition \"name = \"x\"\":"
        + " unexpected \"=\" (comparisons are written ==, !=, <, <=, >, >=)");
    refused("traces: {span: ['name']}", "traces::span::0: unable to parse OTTL condition \"name\": \"name\" is not a"
        + " condition: expected a comparison, IsMatch(...), true or false");
    refused("logs: {log_record: ['IsMatch(body, \"[a\")']}", "logs::log_record::0: unable to parse OTTL condition"
        + " \"IsMatch(body, \"[a\")\": the pattern supplied to IsMatch is not a valid regexp pattern: error parsing"
        + " regexp: missing closing ]: `[a`: `[a`");
    refused("logs: {log_record: ['attributes[\"a\"][\"b\"] == 1']}", "logs::log_record::0: unable to parse OTTL"
        + " condition \"attributes[\"a\"][\"b\"] == 1\": paths with several keys are not supported by Kansoku's OTTL"
        + " conditions");
    refused("logs: {log_record: ['(severity_number > 1']}", "logs::log_record::0: unable to parse OTTL condition"
        + " \"(severity_number > 1\": expected \")\" but found \"end of condition\"");
  }

  @Test
  void settings_conflictsAndUnsupportedForms_areRefused() {
    refused("error_mode: loud", "error_mode: unknown error mode \"loud\" (expected ignore, silent or propagate)");
    refused("traces: {span: ['name == \"a\"']}\nspans: {include: {match_type: strict, span_names: [a]}}",
        "cannot use \"traces.resource\", \"traces.span\", \"traces.spanevent\" and the span settings \"spans.include\","
            + " \"spans.exclude\" at the same time");
    refused("metrics: {metric: ['name == \"a\"'], include: {match_type: strict, metric_names: [a]}}",
        "cannot use \"metrics.resource\", \"metrics.metric\", \"metrics.datapoint\" and the settings"
            + " \"metrics.include\", \"metrics.exclude\" at the same time");
    refused("logs: {log_record: ['body == \"a\"'], exclude: {match_type: strict, bodies: [a]}}",
        "cannot use \"logs.resource\", \"logs.log\" and the settings \"logs.include\", \"logs.exclude\" at the same time");
    refused("metric_conditions: ['metric.name == \"a\"']", "metric_conditions: context-inferred conditions are not"
        + " supported by Kansoku; write them under the per-context keys, e.g. metrics::metric, without the context"
        + " prefix");
    refused("metrics: {include: {match_type: expr, expressions: ['MetricName == \"a\"']}}", "metrics::include::match_type:"
        + " the expr language is not supported by Kansoku; write metrics::metric or metrics::datapoint OTTL conditions"
        + " instead, e.g. 'name == \"jvm.gc.duration\"'");
    refused("metrics: {include: {match_type: exact, metric_names: [a]}}", "metrics::include::match_type: unrecognized"
        + " match_type \"exact\" (expected strict or regexp)");
    refused("metrics: {exclude: {metric_names: [a]}}", "metrics::exclude::match_type: missing (expected strict or regexp)");
    refused("metrics: {include: {match_type: regexp, metric_names: [\"(a\"]}}", "metrics::include::metric_names::0:"
        + " error parsing regexp: Unclosed group: `(a`");
    refused("logs: {include: {match_type: strict, severity_number: {min: LOUD}}}", "logs::include::severity_number::min:"
        + " 'LOUD' is not a valid severity: not a valid severity (expected TRACE, DEBUG, INFO, WARN, ERROR or FATAL,"
        + " optionally followed by 2, 3 or 4, or 1 to 24)");
    refused("spans: {include: {match_type: strict, log_bodies: [a]}}",
        "spans::include: log_bodies should not be specified for trace spans");
  }
}
