package dev.kansoku.model;

/** One quantile of a summary point: {@code quantile} in [0, 1]. */
public record Quantile(double quantile, double value) {
  public Quantile {
    if (!(quantile >= 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile: " + quantile + " (expected: 0..1)");
    }
  }
}
