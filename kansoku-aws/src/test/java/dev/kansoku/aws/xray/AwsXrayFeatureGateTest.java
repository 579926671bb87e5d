package dev.kansoku.aws.xray;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.featuregate.FeatureGates;
import org.junit.jupiter.api.Test;

class AwsXrayFeatureGateTest {
  @Test
  void theExportersGates_reachTheTranslator() {
    AwsXrayExporterConfig config = new AwsXrayExporterFactory().createDefaultConfig();
    assertThat(config.translatorOptions().skipTimestampValidation).isTrue();
    assertThat(config.translatorOptions().allowDotInAnnotationKeys).isTrue();
    FeatureGates.global().apply("-exporter.awsxray.skiptimestampvalidation,-exporter.xray.allowDot");
    try {
      assertThat(config.translatorOptions().skipTimestampValidation).isFalse();
      assertThat(config.translatorOptions().allowDotInAnnotationKeys).isFalse();
    } finally {
      FeatureGates.global().apply("exporter.awsxray.skiptimestampvalidation,exporter.xray.allowDot");
    }
  }
}
