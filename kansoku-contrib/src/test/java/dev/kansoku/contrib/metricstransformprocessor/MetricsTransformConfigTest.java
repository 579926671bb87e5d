package dev.kansoku.contrib.metricstransformprocessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Upstream's validation (factory_test.go's invalid configurations) with the transform's path in front. */
class MetricsTransformConfigTest {
  private static String yaml(String transforms) {
    return """
        receivers: {push: }
        processors:
          metricstransform:
            transforms: %s
        exporters: {capture: }
        service: {pipelines: {metrics: {receivers: [push], processors: [metricstransform], exporters: [capture]}}}
        """.formatted(transforms);
  }

  private static void refused(String transforms, String message) {
    assertThatThrownBy(() -> TestService.load(yaml(transforms))).isInstanceOf(ConfigException.class)
        .hasMessage("processors::metricstransform: transforms::0: " + message);
  }

  @Test
  void invalidConfigurations_asUpstream() {
    refused("[{include: a, action: insert}]", "missing required field \"new_name\" while \"action\" is insert");
    refused("[{include: a, action: inserts}]", "\"action\" must be in [\"insert\" \"update\" \"combine\" \"group\"]");
    refused("[{action: update}]", "missing required field \"include\"");
    refused("[{include: a, match_type: exact, action: update}]", "\"match_type\" must be in [\"strict\" \"regexp\"]");
    refused("[{include: a, action: update, operations: [{action: update_label}]}]",
        "operation 1: missing required field \"label\" while \"action\" is update_label");
    refused("[{include: a, action: update, operations: [{action: experimental_scale_value}]}]",
        "operation 1: missing required field \"experimental_scale\" while \"action\" is experimental_scale_value");
    refused("[{include: '[\\da', match_type: regexp, action: update}]",
        "\"include\", error parsing regexp: missing closing ]: `[\\da`: `[\\da`");
    refused("[{include: a, action: combine, new_name: b, aggregation_type: avg}]",
        "\"aggregation_type\" must be in [\"sum\" \"mean\" \"min\" \"max\" \"median\" \"count\"]");
    refused("[{include: a, action: update, operations: [{action: add_labels}]}]", "operation 1: \"action\" must be in"
        + " [\"add_label\" \"update_label\" \"delete_label_value\" \"toggle_scalar_data_type\" \"experimental_scale_value\""
        + " \"aggregate_labels\" \"aggregate_label_values\"]");
    refused("[{include: a, action: update, operations: [{action: aggregate_labels, label_set: [x],"
        + " aggregation_type: avg}]}]", "operation 1: \"aggregation_type\" must be in [\"sum\" \"mean\" \"min\" \"max\""
        + " \"median\" \"count\"]");
    refused("[{include: a, action: combine, new_name: b, aggregation_type: sum, submatch_case: title}]",
        "\"submatch_case\" must be in [\"lower\" \"upper\"]");
    refused("[{include: a, action: update, operations: [{action: add_label, new_value: bar}]}]",
        "operation 1: missing required field \"new_label\" while \"action\" is add_label");
    refused("[{include: a, action: update, operations: [{action: add_label, new_label: foo}]}]",
        "operation 1: missing required field \"new_value\" while \"action\" is add_label");
    refused("[{include: old_name.*, match_type: regexp, action: combine, aggregation_type: sum}]",
        "missing required field \"new_name\" while \"action\" is combine");
    refused("[{include: old_name.*, match_type: regexp, action: combine, new_name: b}]",
        "missing required field \"aggregation_type\" while \"action\" is combine");
    refused("[{include: a, action: update, operations: [{action: aggregate_labels, label_set: [x]}]}]",
        "operation 1: missing required field \"aggregation_type\" while \"action\" is aggregate_labels");
    refused("[{include: a, action: group, group_resource_labels: {k: v}}]",
        "action group is not supported by Kansoku (update, insert and combine are)");
  }

  @Test
  void fullConfiguration_loads() throws Exception {
    assertThat(TestService.load(yaml("""

              - include: name
                action: update
                new_name: new_name
                operations:
                  - {action: add_label, new_label: version, new_value: "kansoku {{version}}"}
                  - {action: update_label, label: label, new_label: new_label_key,
                     value_actions: [{value: current_label_value, new_value: new_label_value}]}
                  - {action: aggregate_labels, label_set: [new_label_key, label2], aggregation_type: sum}
                  - {action: aggregate_label_values, label: new_label_key, aggregated_values: [value1, value2],
                     new_value: new_value, aggregation_type: sum}
                  - {action: delete_label_value, label: label, label_value: value}
                  - {action: toggle_scalar_data_type}
                  - {action: experimental_scale_value, experimental_scale: 1000}
              - include: ^(.*)\\.utilization$
                match_type: regexp
                experimental_match_labels: {state: "id.*"}
                action: insert
                new_name: $1.percent
              - include: ^system\\.cpu\\.(.*)$
                match_type: regexp
                action: combine
                new_name: system.cpu
                submatch_case: lower
                aggregation_type: max
        """)).pipelines()).hasSize(1);
  }
}
