package dev.kansoku.prometheus.config;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code relabel_configs} / {@code metric_relabel_configs} entry, with Prometheus's keys and defaults.
 * Checked and compiled by {@code dev.kansoku.prometheus.relabel.RelabelRule}.
 */
public final class RelabelConfig {
  /** Labels whose values are joined with {@code separator} and matched. Example: [__address__, __meta_port]. */
  public List<String> sourceLabels = new ArrayList<>();
  public String separator = ";";
  /** RE2 syntax, anchored at both ends as Prometheus anchors it. */
  public String regex = "(.*)";
  /** For hashmod. */
  public long modulus;
  public String targetLabel = "";
  /** {@code $1}, {@code ${1}}, {@code ${name}}; in the collector's YAML write {@code $$1} / {@code $${1}}. */
  public String replacement = "$1";
  /** replace, keep, drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase. */
  public String action = "replace";
}
