package dev.kansoku.aws.xray;

import dev.kansoku.aws.AwsClients;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.exporterhelper.ExporterLifecycle;
import dev.kansoku.pipeline.exporterhelper.LifecycleExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.PutTraceSegmentsResponse;
import software.amazon.awssdk.services.xray.model.UnprocessedTraceSegment;

/**
 * {@code awsxray}: translates each batch with {@link XraySegments} and sends the documents with
 * PutTraceSegments, at most 50 per call (the API's limit); {@link ExporterLifecycle} adds
 * start/shutdown, queue and retry. Throttling, 5xx and connection failures are retryable; other 4xx answers are permanent.
 *
 * <p>Decisions: a document over 64 KB (X-Ray's segment document limit) is dropped before sending,
 * with a rate-limited warning naming its trace id, rather than failing the call for the other 49 (the
 * collector sends it and lets X-Ray refuse it). Documents X-Ray lists as unprocessed are sent again
 * up to {@link #UNPROCESSED_RETRIES} times in the same attempt, then counted and reported. When a
 * retryable failure hits a later call of a batch, the whole batch is retried; X-Ray keeps the last
 * document per segment id, so the resent ones do not duplicate segments.
 */
final class AwsXrayExporter implements LifecycleExporter {
  private static final Logger log = LoggerFactory.getLogger(AwsXrayExporter.class);
  static final int MAX_DOCUMENTS_PER_CALL = 50;
  static final int MAX_DOCUMENT_BYTES = 64 * 1024;
  static final int UNPROCESSED_RETRIES = 2;

  private final String id;
  private final AwsXrayExporterConfig config;
  private final XrayOptions options;
  private final Function<String, String> env;
  private final ExporterLifecycle<AwsClients.Client<XRayClient>> lifecycle;
  private final RateLimitedLog oversizeWarnings = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog unprocessedWarnings = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final AtomicLong oversizeDropped = new AtomicLong();
  private final AtomicLong unprocessed = new AtomicLong();
  private final AtomicLong documentsSent = new AtomicLong();

  AwsXrayExporter(String id, AwsXrayExporterConfig config, Function<String, String> env) {
    this.id = id;
    this.config = config;
    this.options = config.translatorOptions();
    this.env = env;
    this.lifecycle = new ExporterLifecycle<>(id, config.retryOnFailure, config.sendingQueue, this::open, this::send,
        AwsClients.Client::close);
  }

  @Override
  public ExporterLifecycle<?> lifecycle() {
    return lifecycle;
  }

  @Override
  public <T> DataConsumer<T> consumer(Signal<T> signal) {
    if (signal != Signal.TRACES) {
      throw new IllegalArgumentException("exporter " + id + " exports traces only, not " + signal);
    }
    return lifecycle.consumer(signal);
  }

  private AwsClients.Client<XRayClient> open(Host host) {
    AwsClients.Client<XRayClient> clients = AwsClients.open(XRayClient.builder(), config, env);
    log.info("Exporter {} sends segments to X-Ray{}", id, config.endpoint.isEmpty() ? "" : " at " + config.endpoint);
    return clients;
  }

  private <T> void send(AwsClients.Client<XRayClient> clients, Signal<T> signal, T batch) throws ConsumeException {
    XRayClient c = clients.sdk();
    List<XraySegments.Document> docs = new ArrayList<>();
    for (XraySegments.Document d : XraySegments.documents((ExportTraceServiceRequest) batch, options)) {
      int size = d.json().getBytes(StandardCharsets.UTF_8).length;
      if (size > MAX_DOCUMENT_BYTES) {
        oversizeDropped.incrementAndGet();
        oversizeWarnings.warn("Exporter {}: dropping segment {} of trace {}: {} bytes exceeds X-Ray's limit of {}."
            + " Possible solutions: fewer or shorter attributes and events on the span", id, d.segmentId(),
            d.traceId(), size, MAX_DOCUMENT_BYTES);
        continue;
      }
      docs.add(d);
    }
    for (int from = 0; from < docs.size(); from += MAX_DOCUMENTS_PER_CALL) {
      put(c, docs.subList(from, Math.min(docs.size(), from + MAX_DOCUMENTS_PER_CALL)));
    }
  }

  /** One PutTraceSegments call, and again for what X-Ray did not process (bounded). */
  private void put(XRayClient c, List<XraySegments.Document> docs) throws ConsumeException {
    List<XraySegments.Document> pending = docs;
    for (int attempt = 0; ; attempt++) {
      List<String> bodies = new ArrayList<>(pending.size());
      pending.forEach(d -> bodies.add(d.json()));
      PutTraceSegmentsResponse response;
      try {
        response = c.putTraceSegments(r -> r.traceSegmentDocuments(bodies));
      } catch (SdkServiceException e) {
        throw toConsumeException(e);
      } catch (SdkClientException e) {
        throw ConsumeException.unavailable("exporter " + id + ": PutTraceSegments failed: " + e.getMessage(), null, e);
      }
      List<UnprocessedTraceSegment> failed = response.unprocessedTraceSegments();
      documentsSent.addAndGet(pending.size() - failed.size());
      if (failed.isEmpty()) {
        return;
      }
      Map<String, XraySegments.Document> byId = new HashMap<>();
      pending.forEach(d -> byId.putIfAbsent(d.segmentId(), d));
      List<XraySegments.Document> again = new ArrayList<>();
      for (UnprocessedTraceSegment u : failed) {
        XraySegments.Document d = u.id() == null ? null : byId.remove(u.id());
        if (d != null) {
          again.add(d);
        }
      }
      if (attempt == UNPROCESSED_RETRIES || again.isEmpty()) {
        unprocessed.addAndGet(failed.size());
        UnprocessedTraceSegment first = failed.get(0);
        unprocessedWarnings.warn("Exporter {}: X-Ray did not process {} segment(s) after {} attempt(s), e.g. {} "
            + "({}: {})", id, failed.size(), attempt + 1, first.id(), first.errorCode(), first.message());
        return;
      }
      pending = again;
    }
  }

  /** The one place that maps X-Ray's answer to retryable or permanent. */
  private ConsumeException toConsumeException(SdkServiceException e) {
    AwsErrorDetails details = e instanceof AwsServiceException a ? a.awsErrorDetails() : null;
    String code = details != null ? details.errorCode() : null;
    String message = "exporter " + id + ": X-Ray answered " + e.statusCode() + (code != null ? " " + code : "") + ": "
        + (details != null && details.errorMessage() != null ? details.errorMessage() : e.getMessage());
    if (e.isThrottlingException() || e.statusCode() == 429 || e.statusCode() >= 500) {
      return ConsumeException.unavailable(message, null, e);
    }
    return ConsumeException.permanent(message, e);
  }

  long documentsSent() {
    return documentsSent.get();
  }

  long oversizeDropped() {
    return oversizeDropped.get();
  }

  long unprocessedSegments() {
    return unprocessed.get();
  }

  @Override
  public String toString() {
    return "AwsXrayExporter{" + id + "}";
  }
}
