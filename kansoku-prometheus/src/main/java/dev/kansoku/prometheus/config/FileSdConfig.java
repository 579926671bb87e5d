package dev.kansoku.prometheus.config;

import java.util.ArrayList;
import java.util.List;

/** One {@code file_sd_configs} entry: target groups read from JSON or YAML files. */
public final class FileSdConfig {
  /** Files to read; the last path element may hold one {@code *}. Example: [/etc/prom/targets/*.json]. */
  public List<String> files = new ArrayList<>();
  /** How often the files are re-read even when unchanged (changes are seen within a second). */
  public String refreshInterval = "5m";
}
