package dev.kansoku.prometheus.discovery;

import java.util.List;
import java.util.Map;

/**
 * One group of scrape targets, as Prometheus's service discovery hands them to the scrape manager.
 *
 * @param source what the group stands for, unique within its discovery (e.g. {@code pod/default/web-1});
 *     a later group with the same source replaces the earlier one, and an empty {@code targets} removes it
 * @param targets one label set per target, each with {@code __address__} and the discovery's
 *     {@code __meta_*} labels
 * @param labels labels common to every target of the group
 */
public record TargetGroup(String source, List<Map<String, String>> targets, Map<String, String> labels) {
  public TargetGroup {
    targets = List.copyOf(targets);
    labels = Map.copyOf(labels);
  }
}
