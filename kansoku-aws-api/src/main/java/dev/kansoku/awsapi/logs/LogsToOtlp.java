package dev.kansoku.awsapi.logs;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.util.List;

/**
 * PutLogEvents' accepted events as the OTLP logs the pipeline carries. The mapping is the one
 * {@code OtlpToModel.logs} reads back (kansoku-aws-api README, "CloudWatch Logs ⇄ OTLP"):
 * <ul>
 *   <li>log group and stream: the resource's {@code aws.log.group.names} and
 *       {@code aws.log.stream.names} (the semantic conventions' keys), each a one-element array, so
 *       that a stream name containing {@code &} is not read as ADOT's {@code &}-joined list;
 *   <li>event timestamp (epoch ms): {@code time_unix_nano}; ingestion time: {@code
 *       observed_time_unix_nano}, which GetLogEvents, FilterLogEvents and Insights return as
 *       {@code ingestionTime}, and which the registry's delete cutoffs compare with;
 *   <li>message: the body, as a string value; events keep their order in one scope.
 * </ul>
 * No {@code service.name}: CloudWatch Logs has none, so the store shows {@code unknown_service}, as
 * for any OTLP sender without one. Stateless.
 */
final class LogsToOtlp {
  static final String GROUP_KEY = "aws.log.group.names";
  static final String STREAM_KEY = "aws.log.stream.names";

  private LogsToOtlp() {}

  /** The events of one stream, all ingested at {@code ingestionNanos}. */
  static ExportLogsServiceRequest request(String group, String stream, List<PutBatch.Event> events,
      long ingestionNanos) {
    ScopeLogs.Builder scope = ScopeLogs.newBuilder();
    for (PutBatch.Event e : events) {
      scope.addLogRecords(LogRecord.newBuilder()
          .setTimeUnixNano(e.timestamp() * 1_000_000L)
          .setObservedTimeUnixNano(ingestionNanos)
          .setBody(AnyValue.newBuilder().setStringValue(e.message())));
    }
    Resource resource = Resource.newBuilder().addAttributes(names(GROUP_KEY, group))
        .addAttributes(names(STREAM_KEY, stream)).build();
    return ExportLogsServiceRequest.newBuilder()
        .addResourceLogs(ResourceLogs.newBuilder().setResource(resource).addScopeLogs(scope)).build();
  }

  private static KeyValue names(String key, String name) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(
        ArrayValue.newBuilder().addValues(AnyValue.newBuilder().setStringValue(name)))).build();
  }
}
