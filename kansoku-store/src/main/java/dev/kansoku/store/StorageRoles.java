package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

/**
 * The roles one {@link Storage} hands out, built once with the store: a backend implements
 * {@link Storage#roles()} and inherits the role getters, so each getter returns the same object every
 * time. Every component has its own type, so the compiler checks the order.
 */
public record StorageRoles(SpanWriter spanWriter, LogWriter logWriter, MetricWriter metricWriter,
    TraceReader traceReader, TraceSearch traceSearch, LogSearch logSearch, MetricSearch metricSearch, Names names,
    ServiceGraphReader serviceGraph, ServiceStats serviceStats, Retention retention, LogGroupCatalog logGroups) {
  public StorageRoles {
    requireNonNull(spanWriter, "spanWriter");
    requireNonNull(logWriter, "logWriter");
    requireNonNull(metricWriter, "metricWriter");
    requireNonNull(traceReader, "traceReader");
    requireNonNull(traceSearch, "traceSearch");
    requireNonNull(logSearch, "logSearch");
    requireNonNull(metricSearch, "metricSearch");
    requireNonNull(names, "names");
    requireNonNull(serviceGraph, "serviceGraph");
    requireNonNull(serviceStats, "serviceStats");
    requireNonNull(retention, "retention");
    requireNonNull(logGroups, "logGroups");
  }
}
