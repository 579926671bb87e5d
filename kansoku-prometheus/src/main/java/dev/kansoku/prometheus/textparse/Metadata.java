package dev.kansoku.prometheus.textparse;

/**
 * What the exposition says about a metric family.
 *
 * @param type counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown (text's untyped)
 * @param help the HELP text, unescaped; empty when absent
 * @param unit the UNIT (OpenMetrics only); empty when absent
 */
public record Metadata(String type, String help, String unit) {
  public static final Metadata UNKNOWN = new Metadata("unknown", "", "");
}
