package dev.kansoku.pipeline;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import java.util.ArrayList;
import java.util.List;

/** Counting, merging and splitting of log batches; see {@link Signal}. */
final class LogBatches {
  private LogBatches() {}

  static int count(ExportLogsServiceRequest req) {
    int n = 0;
    for (ResourceLogs rl : req.getResourceLogsList()) {
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        n += sl.getLogRecordsCount();
      }
    }
    return n;
  }

  static ExportLogsServiceRequest merge(List<ExportLogsServiceRequest> batches) {
    ExportLogsServiceRequest.Builder b = ExportLogsServiceRequest.newBuilder();
    for (ExportLogsServiceRequest part : batches) {
      b.addAllResourceLogs(part.getResourceLogsList());
    }
    return b.build();
  }

  static List<ExportLogsServiceRequest> split(ExportLogsServiceRequest req, int max) {
    if (count(req) <= max) {
      return List.of(req);
    }
    List<ExportLogsServiceRequest> out = new ArrayList<>();
    ExportLogsServiceRequest.Builder batch = ExportLogsServiceRequest.newBuilder();
    int inBatch = 0;
    for (ResourceLogs rl : req.getResourceLogsList()) {
      ResourceLogs.Builder rlPart = null;
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        ScopeLogs.Builder slPart = null;
        for (LogRecord record : sl.getLogRecordsList()) {
          if (inBatch == max) {
            if (slPart != null) {
              rlPart.addScopeLogs(slPart);
              slPart = null;
            }
            if (rlPart != null) {
              batch.addResourceLogs(rlPart);
              rlPart = null;
            }
            out.add(batch.build());
            batch = ExportLogsServiceRequest.newBuilder();
            inBatch = 0;
          }
          if (rlPart == null) {
            rlPart = rl.toBuilder().clearScopeLogs();
          }
          if (slPart == null) {
            slPart = sl.toBuilder().clearLogRecords();
          }
          slPart.addLogRecords(record);
          inBatch++;
        }
        if (slPart != null) {
          rlPart.addScopeLogs(slPart);
        }
      }
      if (rlPart != null) {
        batch.addResourceLogs(rlPart);
      }
    }
    if (inBatch > 0) {
      out.add(batch.build());
    }
    return out;
  }
}
