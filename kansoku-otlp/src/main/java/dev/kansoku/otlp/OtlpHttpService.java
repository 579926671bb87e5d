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
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
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

  private final String receiverId;
  private final Signal<T> signal;
  private final DataConsumer<T> next;
  private final Parser<T> parser;
  private final Message okResponse;
  private final long maxBodySize;
  private final RateLimitedLog refusals = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  private OtlpHttpService(String receiverId, Signal<T> signal, DataConsumer<T> next, Parser<T> parser,
      Message okResponse, long maxBodySize) {
    this.receiverId = receiverId;
    this.signal = signal;
    this.next = next;
    this.parser = parser;
    this.okResponse = okResponse;
    this.maxBodySize = maxBodySize;
  }

  @SuppressWarnings("unchecked")
  static <T> OtlpHttpService<?> create(String receiverId, Signal<T> signal, DataConsumer<T> next, long maxBodySize) {
    if (signal == Signal.TRACES) {
      return new OtlpHttpService<>(receiverId, Signal.TRACES, (DataConsumer<ExportTraceServiceRequest>) next,
          ExportTraceServiceRequest.parser(), ExportTraceServiceResponse.getDefaultInstance(), maxBodySize);
    }
    if (signal == Signal.METRICS) {
      return new OtlpHttpService<>(receiverId, Signal.METRICS, (DataConsumer<ExportMetricsServiceRequest>) next,
          ExportMetricsServiceRequest.parser(), ExportMetricsServiceResponse.getDefaultInstance(), maxBodySize);
    }
    return new OtlpHttpService<>(receiverId, Signal.LOGS, (DataConsumer<ExportLogsServiceRequest>) next,
        ExportLogsServiceRequest.parser(), ExportLogsServiceResponse.getDefaultInstance(), maxBodySize);
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
    return HttpResponse.of(req.aggregate().thenApplyAsync(body -> handle(body, json, encoding),
        ctx.blockingTaskExecutor()));
  }

  private HttpResponse handle(AggregatedHttpRequest body, boolean json, String encoding) {
    T data;
    try {
      byte[] raw = decompress(body, encoding);
      data = json ? OtlpJson.parse(signal, raw) : parser.parseFrom(raw);
      OtlpChecks.validate(signal, data);
    } catch (InvalidProtocolBufferException e) {
      return error(ConsumeException.invalid("cannot parse the " + signal.name() + " request as OTLP protobuf: "
          + e.getMessage()), json);
    } catch (InvalidOtlpException e) {
      return error(ConsumeException.invalid("cannot parse the " + signal.name() + " request as OTLP/JSON: "
          + e.getMessage()), json);
    } catch (ConsumeException e) {
      return error(e, json);
    }
    try {
      next.consume(data);
    } catch (ConsumeException e) {
      refusals.warn("otlp receiver {} (http {}): refused: {}", receiverId, signal.name(), e.getMessage());
      return error(e, json);
    } catch (RuntimeException e) {
      log.error("otlp receiver {} (http {}): pipeline failed", receiverId, signal.name(), e);
      return error(ConsumeException.permanent("internal error: " + e, e), json);
    }
    return json ? HttpResponse.of(HttpStatus.OK, MediaType.JSON, OtlpJson.write(okResponse))
        : HttpResponse.of(HttpStatus.OK, PROTOBUF, okResponse.toByteArray());
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

  private byte[] decompress(AggregatedHttpRequest body, String encoding) throws ConsumeException {
    byte[] raw = body.content().array();
    switch (encoding) {
      case "identity":
      case "":
      case "none":
        return raw;
      case "gzip":
      case "x-gzip":
        return inflate(raw, true);
      case "deflate":
        return inflate(raw, false);
      default:
        throw ConsumeException.invalid("Content-Encoding \"" + encoding
            + "\" is not supported (expected: gzip, deflate or none)");
    }
  }

  /** Inflates at most {@code maxBodySize} bytes, so a small compressed body cannot exhaust memory. */
  private byte[] inflate(byte[] raw, boolean gzip) throws ConsumeException {
    try (InputStream in = gzip ? new GZIPInputStream(new ByteArrayInputStream(raw))
        : new InflaterInputStream(new ByteArrayInputStream(raw))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(32, raw.length * 4));
      byte[] buf = new byte[16384];
      long total = 0;
      int n;
      while ((n = in.read(buf)) > 0) {
        total += n;
        if (total > maxBodySize) {
          throw ConsumeException.invalid("the decompressed body is larger than max_request_body_size ("
              + maxBodySize + " bytes)");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw ConsumeException.invalid("cannot decompress the " + encodingName(gzip) + " body: " + e.getMessage());
    }
  }

  private static String encodingName(boolean gzip) {
    return gzip ? "gzip" : "deflate";
  }

  private HttpResponse error(ConsumeException e, boolean json) {
    HttpStatus status = OtlpErrors.http(e);
    Code code = OtlpErrors.grpcCode(e);
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
