package dev.kansoku.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.ServiceConfig;
import dev.kansoku.server.Components;
import dev.kansoku.server.Kansoku;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The YAML the stack puts into the SSM parameter, taken from the synthesised template, passes the
 * validator behind {@code kansoku validate}: Kansoku's image started with that AOT_CONFIG_CONTENT
 * gets past configuration.
 */
class CollectorConfigValidTest {

  @Test
  void parameterYaml_isAValidKansokuConfig() throws Exception {
    String yaml = parameterValue(Map.of());
    ServiceConfig config = validate(yaml);
    assertThat(config.pipelines()).extracting(p -> p.id().toString()).containsExactlyInAnyOrder("traces", "metrics");
    assertThat(config.pipelines()).flatExtracting(p -> p.exporters().stream().map(Object::toString).toList())
        .containsExactlyInAnyOrder("awsxray", "awsemf");
  }

  @Test
  void validator_refusesWhatKansokuWouldRefuse() {
    String broken = "receivers:\n  otlp:\n    protocols:\n      htttp:\n"
        + "exporters:\n  awsxray:\n    region: us-west-2\n"
        + "service:\n  pipelines:\n    traces:\n      receivers: [otlp]\n      exporters: [awsxray]\n";
    assertThatThrownBy(() -> validate(broken))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems())
            .anyMatch(p -> p.contains("unknown key \"htttp\"")));
  }

  static ServiceConfig validate(String yaml) throws ConfigException {
    return Kansoku.load(List.of("yaml:" + yaml), name -> null, Components.registry());
  }

  static String parameterValue(Map<String, Object> context) throws Exception {
    Object create = Synth.only(Synth.template(context), "Custom::SecureStringParameter").get("Create");
    return Synth.JSON.readTree(Synth.text(create)).at("/parameters/Value").asText();
  }
}
