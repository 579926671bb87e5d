package dev.kansoku.pipeline.featuregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeatureGatesTest {
  private final FeatureGates gates = new FeatureGates();
  private final FeatureGate alpha = gates.register("x.alpha", FeatureGate.Stage.ALPHA, "a", "v0.1.0");
  private final FeatureGate beta = gates.register("x.beta", FeatureGate.Stage.BETA, "b", "v0.2.0");
  private final FeatureGate stable = gates.register("x.stable", FeatureGate.Stage.STABLE, "s", "v0.3.0");
  private final FeatureGate deprecated = gates.register("x.deprecated", FeatureGate.Stage.DEPRECATED, "d", "v0.4.0");

  @Test
  void defaults_followTheStage() {
    assertThat(alpha.isEnabled()).isFalse();
    assertThat(beta.isEnabled()).isTrue();
    assertThat(stable.isEnabled()).isTrue();
    assertThat(deprecated.isEnabled()).isFalse();
  }

  @Test
  void flag_enablesAndDisables_asTheCollectorReadsIt() {
    gates.apply("x.alpha,-x.beta");
    assertThat(alpha.isEnabled()).isTrue();
    assertThat(beta.isEnabled()).isFalse();
    gates.apply(" +x.beta , -x.alpha,");
    assertThat(alpha.isEnabled()).isFalse();
    assertThat(beta.isEnabled()).isTrue();
  }

  @Test
  void wrongEntries_areAllNamed_andNothingChanges() {
    assertThatThrownBy(() -> gates.apply("x.alpha,nope,-x.stable,x.deprecated"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no such feature gate \"nope\"; feature gate \"x.stable\" is stable, can not be"
            + " disabled; feature gate \"x.deprecated\" is deprecated, can not be enabled (known: x.alpha, x.beta,"
            + " x.deprecated, x.stable)");
    assertThat(alpha.isEnabled()).isFalse();
    assertThat(stable.isEnabled()).isTrue();
  }

  @Test
  void anIdRegisteredTwice_isRefused() {
    assertThatThrownBy(() -> gates.register("x.alpha", FeatureGate.Stage.BETA, "again", "v1"))
        .isInstanceOf(IllegalStateException.class);
  }
}
