package dev.kansoku.store;

import java.util.List;

/**
 * The names the console and the APIs list (services, operations, log groups, metrics), sorted, for
 * everything retained. Thread-safe. Unknown parents (a service, log group or namespace never seen)
 * give empty lists, not errors.
 */
public interface Names {
  List<String> services();

  /** Span names of the service. */
  List<String> operations(String serviceName);

  List<String> logGroups();

  List<String> logStreams(String logGroup);

  List<String> metricNamespaces();

  List<String> metricNames(String namespace);

  /** Dimension keys seen on the metric, across all its points. */
  List<String> dimensionKeys(String namespace, String metricName);
}
