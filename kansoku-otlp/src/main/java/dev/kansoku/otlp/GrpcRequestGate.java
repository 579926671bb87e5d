package dev.kansoku.otlp;

import com.linecorp.armeria.common.ExchangeType;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.RoutingContext;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.netty.util.AsciiString;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the gRPC listener checks before Armeria's gRPC layer sees a call:
 *
 * <ul>
 *   <li>Every {@code -bin} metadata value must be base64, as gRPC requires. Armeria decodes them
 *       outside its error handling: a bad one left the call unanswered and its body buffered
 *       (direct memory) for good. Such a call is answered at once with INTERNAL, as grpc-go (hence
 *       the collector) answers it: {@code malformed binary metadata … in header …}.
 *   <li>The message limit, on the bytes as they arrive (see {@link FrameAdmission}).
 *   <li>The memory_limiter's {@link Admission}, asked with the size the gRPC frame header declares,
 *       before the message is buffered and decoded: a refusal is RESOURCE_EXHAUSTED with RetryInfo.
 *       The permit is held until the call is complete.
 * </ul>
 */
final class GrpcRequestGate implements DecoratingHttpServiceFunction {
  private static final Logger log = LoggerFactory.getLogger(GrpcRequestGate.class);
  private static final int FRAME_HEADER = 5;

  private final String receiverId;
  private final Map<String, Signal<?>> signalByPath;
  private final Consumers consumers;
  private final long maxMessageBytes;
  private final RateLimitedLog badMetadata = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog refusals = new RateLimitedLog(log, 10, TimeUnit.SECONDS);

  GrpcRequestGate(String receiverId, Consumers consumers, long maxMessageBytes) {
    this.receiverId = receiverId;
    this.consumers = consumers;
    this.maxMessageBytes = maxMessageBytes;
    this.signalByPath = Map.of(
        "/opentelemetry.proto.collector.trace.v1.TraceService/Export", Signal.TRACES,
        "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export", Signal.METRICS,
        "/opentelemetry.proto.collector.logs.v1.LogsService/Export", Signal.LOGS);
  }

  /**
   * The gRPC service behind this gate. Its exchange is request-streaming: for a unary exchange Armeria
   * buffers the whole body before it calls the service, so the gate would run only once every byte of
   * every call was in (direct) memory, admitted or not.
   */
  HttpService decorate(HttpService grpc) {
    return new SimpleDecoratingHttpService(grpc) {
      @Override
      public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
        return GrpcRequestGate.this.serve((HttpService) unwrap(), ctx, req);
      }

      @Override
      public ExchangeType exchangeType(RoutingContext routingContext) {
        return ExchangeType.REQUEST_STREAMING;
      }
    };
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    String problem = badBinaryMetadata(req);
    if (problem != null) {
      badMetadata.warn("otlp receiver {} (grpc): call from {} refused: {}", receiverId, ctx.remoteAddress(), problem);
      req.abort(); // nothing of the body is read or kept
      return trailersOnly(13, problem, null); // INTERNAL, as grpc-go
    }
    Signal<?> signal = signalByPath.get(ctx.path());
    if (signal == null) {
      return delegate.serve(ctx, req); // UNIMPLEMENTED and the like: Armeria answers without reading a message
    }
    // Admission on the headers reserves nothing yet (the memory_limiter refuses while the heap is
    // above its soft limit); the message is charged when its frame header says how large it is. A
    // reservation held from the headers on would keep every other large call from ever being alone.
    Admission admission = consumers.admission(signal);
    Admission.Permit permit;
    try {
      permit = admission.admit(0);
    } catch (ConsumeException e) {
      refusals.warn("otlp receiver {} (grpc {}): refused before reading: {}", receiverId, signal.name(),
          e.getMessage());
      req.abort();
      return trailersOnly(8, e.getMessage(), OtlpErrors.status(com.google.rpc.Code.RESOURCE_EXHAUSTED, e));
    }
    FrameAdmission frame = new FrameAdmission(permit, signal);
    ctx.log().whenComplete().thenRun(permit::close);
    return delegate.serve(ctx, req.peekData(frame::onData).mapData(GrpcRequestGate::onHeap));
  }

  /**
   * A received chunk copied to the heap and its direct buffer released at once. The gRPC layer holds a
   * call's chunks until its message is whole; on the heap they are what the memory_limiter measures
   * and admits, while direct memory (limit = -Xmx as well) is measured by nothing. The flood of
   * direct memory this receiver once suffered came from the unary exchange (see {@link #decorate}),
   * not from these chunks.
   */
  static HttpData onHeap(HttpData data) {
    if (!data.isPooled()) {
      return data;
    }
    try {
      return HttpData.wrap(data.array()).withEndOfStream(data.isEndOfStream());
    } finally {
      data.close();
    }
  }

  /** The first {@code -bin} value that is not base64, described, or null. */
  @Nullable
  static String badBinaryMetadata(HttpRequest req) {
    for (Map.Entry<AsciiString, String> e : req.headers()) {
      AsciiString name = e.getKey();
      if (!name.endsWith("-bin")) {
        continue;
      }
      // The same decoder and the same comma splitting Armeria applies afterwards.
      for (String part : e.getValue().split(",", -1)) {
        try {
          Base64.getDecoder().decode(part);
        } catch (IllegalArgumentException ex) {
          return "malformed binary metadata in header \"" + name + "\": " + ex.getMessage();
        }
      }
    }
    return null;
  }

  /** A gRPC answer with no message: status in the headers, as gRPC servers answer a call refused up front. */
  static HttpResponse trailersOnly(int grpcStatus, String message, @Nullable com.google.rpc.Status details) {
    var headers = ResponseHeaders.builder(HttpStatus.OK)
        .contentType(com.linecorp.armeria.common.MediaType.parse("application/grpc+proto"))
        .add(AsciiString.of("grpc-status"), Integer.toString(grpcStatus))
        .add(AsciiString.of("grpc-message"), percentEncode(message))
        .add(HttpHeaderNames.CONTENT_LENGTH, "0");
    if (details != null) {
      // RetryInfo and friends travel as a serialized google.rpc.Status, as gRPC clients read them.
      headers.add(AsciiString.of("grpc-status-details-bin"),
          Base64.getEncoder().withoutPadding().encodeToString(details.toByteArray()));
    }
    return HttpResponse.of(headers.build());
  }

  /** grpc-message is percent-encoded: printable ASCII except '%' passes, the rest as UTF-8 %XX. */
  static String percentEncode(String message) {
    StringBuilder sb = new StringBuilder(message.length());
    for (byte b : message.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      if (b >= 0x20 && b < 0x7f && b != '%') {
        sb.append((char) b);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.toString();
  }

  /**
   * Reads the 5-byte gRPC frame header from the first data (compressed flag, message length) and
   * asks for admission before the rest is buffered. A compressed message is charged at the size it
   * may inflate to (the message limit), since gRPC does not declare it. A message that declares, or
   * turns out, longer than the limit fails at once with RESOURCE_EXHAUSTED: Armeria would otherwise
   * buffer all of it before its own check. Thread-confined to the request's event loop, except
   * {@link #release}.
   */
  private final class FrameAdmission {
    private final Admission.Permit permit;
    private final Signal<?> signal;
    private final byte[] header = new byte[FRAME_HEADER];
    private int headerBytes;
    private long total;

    FrameAdmission(Admission.Permit permit, Signal<?> signal) {
      this.permit = permit;
      this.signal = signal;
    }

    void onData(HttpData data) {
      total += data.length();
      if (total > maxMessageBytes + FRAME_HEADER) {
        throw tooLarge(total - FRAME_HEADER);
      }
      if (headerBytes == FRAME_HEADER) {
        return;
      }
      int n = Math.min(data.length(), FRAME_HEADER - headerBytes);
      data.byteBuf().getBytes(data.byteBuf().readerIndex(), header, headerBytes, n);
      headerBytes += n;
      if (headerBytes < FRAME_HEADER) {
        return;
      }
      boolean compressed = header[0] != 0;
      long declared = ((header[1] & 0xffL) << 24) | ((header[2] & 0xffL) << 16) | ((header[3] & 0xffL) << 8)
          | (header[4] & 0xffL);
      if (declared > maxMessageBytes) {
        throw tooLarge(declared);
      }
      long decoded = compressed ? maxMessageBytes : declared;
      try {
        permit.grow(HeapEstimate.request(declared, decoded, false));
      } catch (ConsumeException e) {
        refusals.warn("otlp receiver {} (grpc {}): refused before reading: {}", receiverId, signal.name(),
            e.getMessage());
        // Failing the stream fails the call with this status (and its RetryInfo trailer).
        throw OtlpErrors.grpc(e);
      }
    }

    private StatusRuntimeException tooLarge(long bytes) {
      return Status.RESOURCE_EXHAUSTED.withDescription("gRPC message of " + bytes + " bytes is larger than"
          + " max_recv_msg_size_mib (" + maxMessageBytes + " bytes)").asRuntimeException();
    }
  }
}
