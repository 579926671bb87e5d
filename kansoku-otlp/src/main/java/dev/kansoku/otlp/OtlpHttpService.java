package dev.kansoku.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.rpc.Code;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.AbstractHttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.kansoku.model.OtlpRules;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP for one signal: {@code POST} of a protobuf ({@code application/x-protobuf}) or OTLP/JSON
 * ({@code application/json}) export request, optionally gzip- or deflate-compressed. The reply is
 * in the request's encoding; errors carry a google.rpc.Status body and, when retryable, a
 * Retry-After header.
 */
final class OtlpHttpService<T extends Message> extends AbstractHttpService {
  private static final Logger log = LoggerFactory.getLogger(OtlpHttpService.class);
  private static final MediaType PROTOBUF = MediaType.parse("application/x-protobuf");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> IDENTITY = Set.of("identity", "", "none");

  private final String receiverId;
  private final Signal<T> signal;
  private final DataConsumer<T> next;
  private final Parser<T> parser;
  private final Admission admission;
  private final long maxBodySize;
  private final RateLimitedLog refusals = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  private OtlpHttpService(String receiverId, Signal<T> signal, DataConsumer<T> next, Parser<T> parser,
      Admission admission, long maxBodySize) {
    this.receiverId = receiverId;
    this.signal = signal;
    this.next = next;
    this.parser = parser;
    this.admission = admission;
    this.maxBodySize = maxBodySize;
  }

  @SuppressWarnings("unchecked")
  static <T> OtlpHttpService<?> create(String receiverId, Signal<T> signal, DataConsumer<T> next, Admission admission,
      long maxBodySize) {
    if (signal == Signal.TRACES) {
      return new OtlpHttpService<>(receiverId, Signal.TRACES, (DataConsumer<ExportTraceServiceRequest>) next,
          ExportTraceServiceRequest.parser(), admission, maxBodySize);
    }
    if (signal == Signal.METRICS) {
      return new OtlpHttpService<>(receiverId, Signal.METRICS, (DataConsumer<ExportMetricsServiceRequest>) next,
          ExportMetricsServiceRequest.parser(), admission, maxBodySize);
    }
    return new OtlpHttpService<>(receiverId, Signal.LOGS, (DataConsumer<ExportLogsServiceRequest>) next,
        ExportLogsServiceRequest.parser(), admission, maxBodySize);
  }

  @Override
  protected HttpResponse doPost(ServiceRequestContext ctx, HttpRequest req) {
    MediaType type = req.contentType();
    boolean json;
    if (type != null && (type.is(PROTOBUF) || type.is(MediaType.PROTOBUF))) {
      json = false;
    } else if (type != null && type.is(MediaType.JSON)) {
      json = true;
    } else {
      return HttpResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, MediaType.PLAIN_TEXT_UTF_8,
          "Content-Type %s is not supported (expected: application/x-protobuf or application/json)",
          type == null ? "(none)" : type);
    }
    String encoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING, "identity").trim().toLowerCase();
    if (!IDENTITY.contains(encoding) && !encoding.equals("gzip") && !encoding.equals("x-gzip")
        && !encoding.equals("deflate")) {
      req.abort();
      return error(ConsumeException.invalid("Content-Encoding \"" + encoding
          + "\" is not supported (expected: gzip, deflate or none)"), json);
    }
    // Ask the memory_limiter before the body is read: with the declared length (the limit when the
    // sender declares none) and, when uncompressed, the decoded size that follows from it. A
    // compressed body asks again for its decompressed size before it is inflated.
    long declared = req.headers().contentLength();
    long received = declared >= 0 ? Math.min(declared, maxBodySize) : maxBodySize;
    boolean compressed = !IDENTITY.contains(encoding);
    Admission.Permit permit;
    try {
      permit = admission.admit(HeapEstimate.request(received, compressed ? 0 : received, json));
    } catch (ConsumeException e) {
      refusals.warn("otlp receiver {} (http {}): refused before reading: {}", receiverId, signal.name(),
          e.getMessage());
      req.abort();
      return error(e, json);
    }
    ctx.log().whenComplete().thenRun(permit::close);
    return HttpResponse.of(req.aggregate().thenApplyAsync(body -> handle(body, json, encoding, permit),
        ctx.blockingTaskExecutor()));
  }

  private HttpResponse handle(AggregatedHttpRequest body, boolean json, String encoding, Admission.Permit permit) {
    T data;
    try {
      byte[] raw = decompress(body, encoding, permit, json);
      data = json ? OtlpJson.parse(signal, raw) : parser.parseFrom(raw);
      OtlpChecks.validate(signal, data);
    } catch (InvalidProtocolBufferException e) {
      return error(ConsumeException.invalid("cannot parse the " + signal.name() + " request as OTLP protobuf: "
          + e.getMessage()), json);
    } catch (InvalidOtlpException e) {
      return error(ConsumeException.invalid("cannot parse the " + signal.name() + " request as OTLP/JSON: "
          + e.getMessage()), json);
    } catch (TooLargeException e) {
      return error(HttpStatus.REQUEST_ENTITY_TOO_LARGE, Code.RESOURCE_EXHAUSTED,
          ConsumeException.permanent(e.getMessage(), null), json);
    } catch (ConsumeException e) {
      if (e.reason() == ConsumeException.Reason.OVERLOADED) {
        refusals.warn("otlp receiver {} (http {}): refused before decoding: {}", receiverId, signal.name(),
            e.getMessage());
      }
      return error(e, json);
    }
    OtlpRules.Filtered<T> kept = OtlpPartial.filter(signal, data);
    try {
      if (kept.rejected() == 0 || !OtlpPartial.nothingLeft(signal, kept.request())) {
        next.consume(kept.request());
      }
    } catch (ConsumeException e) {
      refusals.warn("otlp receiver {} (http {}): refused: {}", receiverId, signal.name(), e.getMessage());
      return error(e, json);
    } catch (RuntimeException e) {
      log.error("otlp receiver {} (http {}): pipeline failed", receiverId, signal.name(), e);
      return error(ConsumeException.permanent("internal error: " + e, e), json);
    }
    Message ok = OtlpPartial.response(signal, kept);
    return json ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, OtlpJson.write(ok))
        : HttpResponse.of(HttpStatus.OK, PROTOBUF, ok.toByteArray());
  }

  /** google.rpc.Status in proto3 JSON form: {"code":14,"message":"…","details":[{"@type":…,"retryDelay":"5s"}]}. */
  private static byte[] statusJson(com.google.rpc.Status status, ConsumeException e) {
    ObjectNode root = JSON.createObjectNode().put("code", status.getCode()).put("message", status.getMessage());
    e.retryAfter().ifPresent(d -> root.putArray("details").addObject()
        .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
        .put("retryDelay", BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString() + "s"));
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException ex) {
      throw new IllegalStateException(ex);
    }
  }

  private byte[] decompress(AggregatedHttpRequest body, String encoding, Admission.Permit permit, boolean json)
      throws ConsumeException, TooLargeException {
    byte[] raw = body.content().array();
    if (IDENTITY.contains(encoding)) {
      return raw;
    }
    boolean gzip = !encoding.equals("deflate");
    // gzip declares the decompressed size (ISIZE, modulo 2^32) in its last 4 bytes: a body that
    // declares more than the limit is refused without inflating anything.
    long expected = gzip ? Math.min(declaredSize(raw), maxBodySize) : Math.min(maxBodySize, raw.length * 4L);
    if (gzip && declaredSize(raw) > maxBodySize) {
      throw tooLarge("declares " + declaredSize(raw) + " bytes");
    }
    permit.grow(HeapEstimate.request(0, expected, json));
    return inflate(raw, gzip, expected, permit, json);
  }

  /** gzip's ISIZE trailer, or 0 when the body is too short to have one. */
  private static long declaredSize(byte[] gz) {
    if (gz.length < 18) {
      return 0;
    }
    int n = gz.length;
    return (gz[n - 4] & 0xffL) | (gz[n - 3] & 0xffL) << 8 | (gz[n - 2] & 0xffL) << 16 | (gz[n - 1] & 0xffL) << 24;
  }

  private TooLargeException tooLarge(String detail) {
    return new TooLargeException("the decompressed body " + detail + ", more than max_request_body_size ("
        + maxBodySize + " bytes)");
  }

  /**
   * Inflates at most {@code maxBodySize} bytes, refusing as soon as the output passes it, so a small
   * compressed body (a zip bomb) cannot allocate more than the limit. Output beyond what was
   * admitted ({@code expected}: a lying or multi-member size trailer) is admitted as it grows.
   */
  private byte[] inflate(byte[] raw, boolean gzip, long expected, Admission.Permit permit, boolean json)
      throws ConsumeException, TooLargeException {
    try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(raw))
        : new InflaterInputStream(new ByteArrayInputStream(raw))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(32, expected));
      byte[] buf = new byte[16384];
      long total = 0;
      long admitted = expected;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBodySize) {
          throw tooLarge("is larger");
        }
        if (total > admitted) {
          long more = Math.min(maxBodySize, Math.max(admitted * 2, total)) - admitted;
          permit.grow(HeapEstimate.request(0, more, json));
          admitted += more;
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ConsumeException.invalid("cannot decompress the " + encodingName(gzip) + " body: " + e.getMessage());
    }
  }

  /** The decompressed body passes max_request_body_size: 413, as for a body that is too large as sent. */
  private static final class TooLargeException extends Exception {
    TooLargeException(String message) {
      super(message, null, false, false);
    }
  }

  private static String encodingName(boolean gzip) {
    return gzip ? "gzip" : "deflate";
  }

  private HttpResponse error(ConsumeException e, boolean json) {
    return error(OtlpErrors.http(e), OtlpErrors.grpcCode(e), e, json);
  }

  private HttpResponse error(HttpStatus status, Code code, ConsumeException e, boolean json) {
    com.google.rpc.Status body = OtlpErrors.status(code, e);
    ResponseHeadersBuilder headers = ResponseHeaders.builder(status);
    e.retryAfter().ifPresent(d -> headers.add(HttpHeaderNames.RETRY_AFTER,
        Long.toString(OtlpErrors.retryAfterSeconds(d))));
    if (json) {
      headers.contentType(MediaType.JSON);
      return HttpResponse.of(headers.build(), HttpData.wrap(statusJson(body, e)));
    }
    headers.contentType(PROTOBUF);
    return HttpResponse.of(headers.build(), HttpData.wrap(body.toByteArray()));
  }
}
