package dev.kansoku.store;

/**
 * A telemetry store, handing out narrow roles so each caller sees only what it needs: the
 * {@code kansoku} exporter a writer per signal, the X-Ray API the trace roles, the CloudWatch Logs API
 * {@link LogSearch}, the console all of the reading roles.
 *
 * <p>Contract for implementations: constructing one does no I/O (files are opened, sessions connected
 * lazily or in a start method of the wiring code), so building a misconfigured store never fails in a
 * constructor; {@link #check()} is cheap and safe to call often; every role is thread-safe; role
 * methods are synchronous (the embedded engines answer locally, and HTTP handlers run them on a
 * blocking executor); {@link #close()} is idempotent and roles may fail after it. Each role getter
 * returns the same object every time.
 */
public interface Storage extends AutoCloseable {
  SpanWriter spanWriter();

  LogWriter logWriter();

  MetricWriter metricWriter();

  TraceReader traceReader();

  TraceSearch traceSearch();

  LogSearch logSearch();

  MetricSearch metricSearch();

  Names names();

  ServiceGraphReader serviceGraph();

  ServiceStats serviceStats();

  Retention retention();

  /** Whether the store can serve requests now (files writable, cluster reachable); never throws. */
  CheckResult check();

  @Override
  void close();
}
