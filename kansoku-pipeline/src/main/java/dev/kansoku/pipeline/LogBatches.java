package dev.kansoku.pipeline;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;

/** Counting, merging and splitting of log batches; see {@link Signal}. */
final class LogBatches {
  static final NestedBatches<ExportLogsServiceRequest, ResourceLogs, ScopeLogs, LogRecord> SHAPE = new NestedBatches<>(
      ExportLogsServiceRequest::getResourceLogsList, ResourceLogs::getScopeLogsList, ScopeLogs::getLogRecordsList,
      (rl, scopes) -> rl.toBuilder().clearScopeLogs().addAllScopeLogs(scopes).build(),
      (sl, records) -> sl.toBuilder().clearLogRecords().addAllLogRecords(records).build(),
      resources -> ExportLogsServiceRequest.newBuilder().addAllResourceLogs(resources).build());

  private LogBatches() {}
}
