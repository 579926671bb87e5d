package dev.kansoku.awsapi.logs;

import static dev.kansoku.awsapi.logs.LogsApi.JSON;
import static dev.kansoku.awsapi.logs.LogsApi.groupName;
import static dev.kansoku.awsapi.logs.LogsApi.streamName;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import dev.kansoku.awsapi.WriteDoors;
import dev.kansoku.awsapi.aws.AwsTargetRouter;
import dev.kansoku.awsapi.metrics.EmfExtractor;
import dev.kansoku.awsapi.metrics.MetricsToOtlp;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PutLogEvents, the one write of CloudWatch Logs. The batch is validated as CloudWatch validates it;
 * its accepted events go to the logs pipelines of the {@code kansoku} receiver as OTLP log records
 * ({@link LogsToOtlp}), and the answer waits until the pipeline accepted them. The metrics of EMF
 * events then go to its metrics pipelines, when it is in one; as in CloudWatch, where extraction
 * happens after the put, a refusal there does not fail the put (it is logged), so a retried put
 * never stores its log events twice.
 *
 * <p>It is also the router's {@link AwsTargetRouter.WriteGate}: the logs pipelines' memory_limiter
 * admits a PutLogEvents request before its body is read. Thread-safe.
 */
final class LogPuts implements AwsTargetRouter.WriteGate {
  private static final Logger log = LoggerFactory.getLogger(LogPuts.class);
  static final String OPERATION = "PutLogEvents";

  private final LogsApi api;
  private final WriteDoors doors;
  private final RateLimitedLog emfRefusals = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  LogPuts(LogsApi api, WriteDoors doors) {
    this.api = api;
    this.doors = doors;
  }

  @Override
  public Admission admission(String operation) {
    return operation.equals(OPERATION) ? doors.admission(Signal.LOGS) : Admission.ALWAYS;
  }

  @Override
  public HttpResponse refused(RequestHeaders headers, ConsumeException e) {
    LogsException refusal = LogsException.refused(e);
    return AwsTargetRouter.jsonError(refusal.status, refusal.type, refusal.getMessage());
  }

  ObjectNode putLogEvents(JsonNode in) {
    DataConsumer<ExportLogsServiceRequest> logs = doors.consumer(Signal.LOGS)
        .orElseThrow(() -> LogsException.unavailable(doors.noPipeline(Signal.LOGS, OPERATION)));
    String group = groupName(in, "logGroupName");
    String stream = streamName(in, "logStreamName");
    PutBatch batch = PutBatch.parse(in.get("logEvents"), System.currentTimeMillis(), api.registry().retention(group));
    api.syncFromStore(group);
    if (!api.registry().hasGroup(group)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    if (!api.registry().hasStream(group, stream)) {
      throw LogsException.notFound("The specified log stream does not exist: " + stream);
    }
    long seq;
    if (batch.acceptedFrom() < batch.acceptedTo()) {
      List<PutBatch.Event> accepted = batch.events().subList(batch.acceptedFrom(), batch.acceptedTo());
      long ingestion = api.registry().tickNanos();
      try {
        logs.consume(LogsToOtlp.request(group, stream, accepted, ingestion));
      } catch (ConsumeException e) {
        throw LogsException.refused(e);
      }
      emf(group, accepted);
      long bytes = 0;
      for (PutBatch.Event e : accepted) {
        bytes += e.bytes();
      }
      seq = api.registry().recordPut(group, stream, accepted.get(0).timestamp(),
          accepted.get(accepted.size() - 1).timestamp(), bytes, ingestion / 1_000_000L);
    } else {
      seq = api.registry().recordPut(group, stream, Long.MAX_VALUE, Long.MIN_VALUE, 0, System.currentTimeMillis());
    }
    ObjectNode out = JSON.createObjectNode();
    out.put("nextSequenceToken", LogGroups.sequenceToken(Math.max(seq, 0)));
    if (batch.hasRejections()) {
      ObjectNode r = out.putObject("rejectedLogEventsInfo");
      if (batch.tooOldEnd() > 0) {
        r.put("tooOldLogEventEndIndex", batch.tooOldEnd());
      }
      if (batch.expiredEnd() > 0) {
        r.put("expiredLogEventEndIndex", batch.expiredEnd());
      }
      if (batch.tooNewStart() < batch.events().size()) {
        r.put("tooNewLogEventStartIndex", batch.tooNewStart());
      }
    }
    return out;
  }

  /** As CloudWatch does: the metrics of Embedded Metric Format events (awsemf's output) become metrics. */
  private void emf(String group, List<PutBatch.Event> events) {
    Optional<DataConsumer<ExportMetricsServiceRequest>> metrics = doors.consumer(Signal.METRICS);
    if (metrics.isEmpty()) {
      return;
    }
    List<MetricPoint> points = new ArrayList<>();
    for (PutBatch.Event e : events) {
      if (e.message().startsWith("{") && e.message().contains("\"_aws\"")) {
        points.addAll(EmfExtractor.extract(e.message(), group, e.timestamp()));
      }
    }
    if (points.isEmpty()) {
      return;
    }
    try {
      metrics.get().consume(MetricsToOtlp.request(points));
    } catch (ConsumeException e) {
      emfRefusals.warn("PutLogEvents to {}: the metrics pipeline refused {} EMF data points (the log events were"
          + " accepted): {}", group, points.size(), e.getMessage());
    }
  }
}
