package dev.kansoku.store;

import java.util.List;

/**
 * The names the console and the APIs list (services, operations, log groups, metrics), sorted, for
 * everything retained. Thread-safe. Unknown parents (a service, log group or namespace never seen)
 * give empty lists, not errors.
 */
public interface Names {
  /**
   * The services that served a request: the service names of entry spans ({@link RedRollup#isEntry}).
   * Other spans may carry a subsegment's own name (an X-Ray document sent alone names a resource by
   * it), which {@link Trace#services()} resolves to its segment's service; only a whole trace can
   * say which, so a name seen only on such spans is no service.
   */
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
