package dev.kansoku.awsapi.xray;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.kansoku.aws.xrayreceiver.InvalidSegmentException;
import dev.kansoku.aws.xrayreceiver.SegmentsToSpans;
import dev.kansoku.awsapi.WriteDoors;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PutTraceSegments: the documents become OTLP spans with the {@code awsxray} receiver's translator
 * ({@link SegmentsToSpans}) and enter the traces pipeline that a {@code kansoku} receiver attached to
 * this endpoint ({@link WriteDoors}), so they pass memory_limiter, reach every exporter of the
 * pipeline and Kafka in scale-out, as OTLP does. The answer is sent once the pipeline accepted the
 * batch; with the kansoku exporter that is once the store has it.
 *
 * <p>X-Ray's answers: a document that cannot become spans is listed in
 * {@code UnprocessedTraceSegments} with a 200 (ADOT's exporter drops a whole batch on any 4xx); a
 * pipeline that refuses for now (memory_limiter, a store that is flushing) is X-Ray's 429
 * {@code ThrottledException}, which the AWS SDKs retry with backoff; a permanent refusal lists the
 * documents as unprocessed, as retrying them cannot help; no traces pipeline is a 503 that names
 * the fix. Thread-safe.
 */
final class PutTraceSegments {
  private static final Logger log = LoggerFactory.getLogger(PutTraceSegments.class);
  // X-Ray's own document limit; a bigger one is refused alone, not with its batch.
  private static final int MAX_DOCUMENT_BYTES = 64 * 1024;
  /**
   * Heap per byte of body while a request is in flight, as the memory_limiter is asked for it: the
   * body, its JSON tree, each document's string and tree, the spans, and the store's records while a
   * synchronous exporter writes them. An estimate on the high side, as the OTLP receiver's.
   */
  private static final long HEAP_PER_BODY_BYTE = 8;
  private static final HexFormat HEX = HexFormat.of();

  private final WriteDoors doors;
  private final RateLimitedLog refusals = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  PutTraceSegments(WriteDoors doors) {
    this.doors = doors;
  }

  HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    DataConsumer<ExportTraceServiceRequest> next = doors.consumer(Signal.TRACES).orElse(null);
    if (next == null) {
      req.abort();
      return XrayApi.error(HttpStatus.SERVICE_UNAVAILABLE, "ServiceUnavailableException", noPipeline());
    }
    // Asked before the body is read, for the declared length (the server's limit when none is
    // declared); a body that turns out larger asks for the rest once read.
    long declared = req.headers().contentLength();
    long assumed = declared >= 0 ? declared : Math.max(0, ctx.maxRequestLength());
    Admission.Permit permit;
    try {
      permit = doors.admission(Signal.TRACES).admit(assumed * HEAP_PER_BODY_BYTE);
    } catch (ConsumeException e) {
      req.abort();
      return throttled("before reading", e);
    }
    ctx.log().whenComplete().thenRun(permit::close);
    return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> handle(agg, assumed, permit, next),
        ctx.blockingTaskExecutor()));
  }

  private HttpResponse handle(AggregatedHttpRequest req, long assumed, Admission.Permit permit,
      DataConsumer<ExportTraceServiceRequest> next) {
    long received = req.content().length();
    if (received > assumed) {
      try {
        permit.grow((received - assumed) * HEAP_PER_BODY_BYTE);
      } catch (ConsumeException e) {
        return throttled("after reading", e);
      }
    }
    ArrayNode docs;
    try {
      docs = XrayApi.array(XrayApi.body(req), "TraceSegmentDocuments");
    } catch (XrayApi.InvalidRequest e) {
      return XrayApi.error(HttpStatus.BAD_REQUEST, "InvalidRequestException", e.getMessage());
    }
    ObjectNode out = XrayApi.MAPPER.createObjectNode();
    ArrayNode unprocessed = out.putArray("UnprocessedTraceSegments");
    ExportTraceServiceRequest.Builder batch = ExportTraceServiceRequest.newBuilder();
    List<String> ids = new ArrayList<>();
    for (JsonNode d : docs) {
      if (!d.isTextual()) {
        unprocessed.addObject().put("Id", "").put("ErrorCode", "JSONFormatError")
            .put("Message", "TraceSegmentDocuments: " + d.getNodeType() + " (expected: a JSON document as a string)");
        continue;
      }
      String doc = d.asText();
      byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
      if (bytes.length > MAX_DOCUMENT_BYTES) {
        unprocessed.addObject().put("Id", segmentId(doc)).put("ErrorCode", "DocumentTooLarge")
            .put("Message", "segment document larger than " + MAX_DOCUMENT_BYTES + " bytes");
        continue;
      }
      try {
        ResourceSpans spans = SegmentEcsResource.complete(SegmentsToSpans.translate(bytes, 0, bytes.length), bytes);
        batch.addResourceSpans(spans);
        // The first span is the document's own (sub)segment.
        ids.add(HEX.formatHex(spans.getScopeSpans(0).getSpans(0).getSpanId().toByteArray()));
      } catch (InvalidSegmentException e) {
        unprocessed.addObject().put("Id", segmentId(doc)).put("ErrorCode", errorCode(e.getMessage()))
            .put("Message", e.getMessage());
      }
    }
    if (ids.isEmpty()) {
      return XrayApi.json(out);
    }
    ConsumeException refused;
    try {
      next.consume(batch.build());
      return XrayApi.json(out);
    } catch (ConsumeException e) {
      refused = e;
    } catch (RuntimeException e) {
      log.error("X-Ray API: PutTraceSegments: the traces pipeline failed", e);
      refused = ConsumeException.permanent("internal error: " + e, e);
    }
    if (refused.retryable()) {
      return throttled("by the pipeline", refused);
    }
    refusals.warn("X-Ray API: PutTraceSegments: the traces pipeline refused {} documents for good: {}", ids.size(),
        refused.getMessage());
    String code = refused.reason() == ConsumeException.Reason.INVALID ? "InvalidSegment" : "InternalFailure";
    for (String id : ids) {
      unprocessed.addObject().put("Id", id).put("ErrorCode", code).put("Message", refused.getMessage());
    }
    return XrayApi.json(out);
  }

  private HttpResponse throttled(String when, ConsumeException e) {
    refusals.warn("X-Ray API: PutTraceSegments refused {}: {}", when, e.getMessage());
    return XrayApi.error(HttpStatus.TOO_MANY_REQUESTS, "ThrottledException", "PutTraceSegments: " + e.getMessage(),
        e.retryAfter().orElse(null));
  }

  private String noPipeline() {
    String receiver = doors.receiverId();
    String problem = receiver == null
        ? "no kansoku receiver takes this endpoint's writes"
        : "the kansoku receiver \"" + receiver + "\" is in no traces pipeline";
    return "PutTraceSegments: " + problem + ", so segments have nowhere to go. Possible solutions: add the kansoku"
        + " receiver to a traces pipeline (receivers: {kansoku: } and service::pipelines::traces::receivers:"
        + " [kansoku], with the kansoku exporter to store the segments)";
  }

  private static String segmentId(String doc) {
    try {
      JsonNode n = XrayApi.MAPPER.readTree(doc);
      return n != null && n.path("id").isTextual() ? n.path("id").asText() : "";
    } catch (JsonProcessingException e) {
      return "";
    }
  }

  /** The codes X-Ray and its emulators report, chosen from what the translator said was wrong. */
  private static String errorCode(String message) {
    if (message == null) {
      return "InvalidSegment";
    }
    if (message.contains("not JSON") || message.contains("expected: a JSON object")) {
      return "JSONFormatError";
    }
    if (message.contains("trace_id:")) {
      return "InvalidTraceId";
    }
    if (message.contains("span_id:")) {
      return "InvalidSegmentId"; // an id the model refuses: all zeros, or the span's own parent
    }
    if (message.contains("missing")) {
      return "MissingParam";
    }
    if (message.startsWith("id") || message.contains(".id:")) {
      return "InvalidSegmentId";
    }
    return "InvalidSegment";
  }
}
