package dev.kansoku.aws.emf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.featuregate.FeatureGates;
import org.junit.jupiter.api.Test;

class AwsEmfFeatureGateTest {
  @Test
  void noDimensionRollupDefault_changesTheDefaultOnly() {
    AwsEmfExporterFactory factory = new AwsEmfExporterFactory();
    assertThat(factory.createDefaultConfig().dimensionRollupOption).isEqualTo("ZeroAndSingleDimensionRollup");
    FeatureGates.global().apply("awsemf.nodimrollupdefault");
    try {
      assertThat(factory.createDefaultConfig().dimensionRollupOption).isEqualTo("NoDimensionRollup");
    } finally {
      FeatureGates.global().apply("-awsemf.nodimrollupdefault");
    }
    assertThat(factory.createDefaultConfig().dimensionRollupOption).isEqualTo("ZeroAndSingleDimensionRollup");
  }
}
