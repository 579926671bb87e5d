package dev.kansoku.aws.emf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The quantile labels' number form, as Go's strconv.FormatFloat(f, 'g', -1, 64) writes it. */
class FormatGTest {
  @Test
  void formatG_matchesStrconvG() {
    assertThat(EmfLabels.formatG(0)).isEqualTo("0");
    assertThat(EmfLabels.formatG(0.5)).isEqualTo("0.5");
    assertThat(EmfLabels.formatG(0.99)).isEqualTo("0.99");
    assertThat(EmfLabels.formatG(1)).isEqualTo("1");
    assertThat(EmfLabels.formatG(0.00001)).isEqualTo("1e-05");
  }
}
