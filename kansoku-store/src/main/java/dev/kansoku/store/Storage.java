package dev.kansoku.store;

/**
 * A telemetry store, handing out narrow roles so each caller sees only what it needs: the
 * {@code kansoku} exporter a writer per signal, the X-Ray API the trace roles, the CloudWatch Logs API
 * {@link LogSearch} and {@link LogGroupCatalog}, the console all of the reading roles.
 *
 * <p>Contract for implementations: constructing one does no I/O (files are opened, sessions connected
 * lazily or in a start method of the wiring code), so building a misconfigured store never fails in a
 * constructor; {@link #check()} is cheap and safe to call often; every role is thread-safe; role
 * methods are synchronous (the embedded engines answer locally, and HTTP handlers run them on a
 * blocking executor); {@link #close()} is idempotent and roles may fail after it. A backend hands out
 * its roles as one {@link StorageRoles}, built with it, so each getter returns the same object every
 * time.
 */
public interface Storage extends AutoCloseable {
  /** The store's roles; the same object every time. */
  StorageRoles roles();

  default SpanWriter spanWriter() { return roles().spanWriter(); }

  default LogWriter logWriter() { return roles().logWriter(); }

  default MetricWriter metricWriter() { return roles().metricWriter(); }

  default TraceReader traceReader() { return roles().traceReader(); }

  default TraceSearch traceSearch() { return roles().traceSearch(); }

  default LogSearch logSearch() { return roles().logSearch(); }

  default MetricSearch metricSearch() { return roles().metricSearch(); }

  default Names names() { return roles().names(); }

  default ServiceGraphReader serviceGraph() { return roles().serviceGraph(); }

  default ServiceStats serviceStats() { return roles().serviceStats(); }

  default Retention retention() { return roles().retention(); }

  /** CloudWatch Logs' log group and stream metadata, kept where the store keeps its data. */
  default LogGroupCatalog logGroups() { return roles().logGroups(); }

  /** Whether the store can serve requests now (files writable, cluster reachable); never throws. */
  CheckResult check();

  @Override
  void close();
}
