package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

/**
 * A CloudWatch statistic: Sum, Average, Minimum, Maximum, SampleCount, or a percentile {@code pNN}
 * ({@code p99}, {@code p99.9}). {@code percentile} is set only for PERCENTILE. Immutable.
 */
public record Statistic(Kind kind, double percentile) {
  public enum Kind { SUM, AVERAGE, MINIMUM, MAXIMUM, SAMPLE_COUNT, PERCENTILE }

  public static final Statistic SUM = new Statistic(Kind.SUM, 0);
  public static final Statistic AVERAGE = new Statistic(Kind.AVERAGE, 0);
  public static final Statistic MINIMUM = new Statistic(Kind.MINIMUM, 0);
  public static final Statistic MAXIMUM = new Statistic(Kind.MAXIMUM, 0);
  public static final Statistic SAMPLE_COUNT = new Statistic(Kind.SAMPLE_COUNT, 0);

  public Statistic {
    requireNonNull(kind, "kind");
    if (kind == Kind.PERCENTILE ? !(percentile > 0 && percentile <= 100) : percentile != 0) {
      throw new IllegalArgumentException("percentile: " + percentile + " for " + kind
          + (kind == Kind.PERCENTILE ? " (expected: 0 < p <= 100)" : " (expected: 0)"));
    }
  }

  public static Statistic percentile(double p) {
    return new Statistic(Kind.PERCENTILE, p);
  }

  /** Parses CloudWatch's names: {@code Sum}, {@code Average}, {@code Minimum}, {@code Maximum}, {@code SampleCount}, {@code p99}. */
  public static Statistic parse(String name) {
    requireNonNull(name, "name");
    switch (name) {
      case "Sum": return SUM;
      case "Average": return AVERAGE;
      case "Minimum": return MINIMUM;
      case "Maximum": return MAXIMUM;
      case "SampleCount": return SAMPLE_COUNT;
      default: break;
    }
    if (name.length() > 1 && (name.charAt(0) == 'p' || name.charAt(0) == 'P')) {
      try {
        return percentile(Double.parseDouble(name.substring(1)));
      } catch (NumberFormatException e) {
        // fall through to the error below
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("statistic: '" + name + "' (expected: a percentile between p0 and p100, e.g. p99)");
      }
    }
    throw new IllegalArgumentException("statistic: '" + name
        + "' (expected: Sum, Average, Minimum, Maximum, SampleCount or pNN such as p99)");
  }

  /** CloudWatch's name for the statistic. */
  public String name() {
    return switch (kind) {
      case SUM -> "Sum";
      case AVERAGE -> "Average";
      case MINIMUM -> "Minimum";
      case MAXIMUM -> "Maximum";
      case SAMPLE_COUNT -> "SampleCount";
      case PERCENTILE -> "p" + (percentile == Math.rint(percentile) ? String.valueOf((long) percentile)
          : String.valueOf(percentile));
    };
  }

  @Override
  public String toString() {
    return name();
  }
}
