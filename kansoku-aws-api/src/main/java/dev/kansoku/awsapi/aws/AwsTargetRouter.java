package dev.kansoku.awsapi.aws;

import static java.util.Objects.requireNonNull;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.encoding.DecodingService;
import dev.kansoku.pipeline.Admission;
import io.netty.util.AsciiString;
import dev.kansoku.pipeline.ConsumeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * AWS's JSON protocols share {@code POST /} and differ by the {@code X-Amz-Target} header
 * ({@code Logs_20140328.PutLogEvents}, {@code GraniteServiceVersion20100801.GetMetricData}). This
 * router sends each request to the service registered for the target's prefix, with the body
 * aggregated and gzip-decoded, on a blocking thread; a service's write operations are admitted by
 * the memory_limiters of their pipelines before the body is read ({@link WriteGate}). Requests with
 * no or an unknown target get the awsJson error shape clients understand.
 *
 * <p>Not thread-safe while registering; {@link #bind} once after all services registered.
 */
public final class AwsTargetRouter {
  /** One AWS JSON service's operations. */
  public interface TargetHandler {
    /** Handles {@code operation} (the part after the dot of X-Amz-Target). */
    HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest request, String operation);
  }

  /** What the router asks about a service's operation before it reads the request's body. */
  public interface WriteGate {
    /** The admission in front of the pipelines {@code operation} writes to; {@link Admission#ALWAYS} for reads. */
    Admission admission(String operation);

    /** The service's error, in its protocol, for a write the pipeline refused (the SDKs retry it). */
    HttpResponse refused(RequestHeaders headers, ConsumeException e);
  }

  /** A service on {@code POST /} that is not told apart by X-Amz-Target (awsQuery's form-encoded Action=). */
  public interface FallbackHandler {
    /** Returns null when the request is not this service's. */
    HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest request);
  }

  /**
   * How long an AWS API request may take, for every protocol on the endpoint. The AWS CLI waits 60 s
   * for an answer; a shorter server deadline (Armeria's default is 10 s) answers 503 while the query
   * goes on running, so the SDK's retries pile more of them onto the same threads.
   */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  /** The header every AWS response carries; the SDKs put it in their exceptions and logs. */
  public static final AsciiString REQUEST_ID = HttpHeaderNames.of("x-amzn-requestid");

  private final Map<String, TargetHandler> byPrefix = new LinkedHashMap<>();
  private final Map<String, WriteGate> gates = new HashMap<>();
  private final Map<String, FallbackHandler> fallbacks = new LinkedHashMap<>();

  /** Registers {@code handler} for targets {@code prefix + "." + operation}, e.g. prefix Logs_20140328. */
  public AwsTargetRouter register(String prefix, TargetHandler handler) {
    requireNonNull(prefix, "prefix");
    if (byPrefix.putIfAbsent(prefix, requireNonNull(handler, "handler")) != null) {
      throw new IllegalArgumentException("two handlers for X-Amz-Target prefix " + prefix);
    }
    return this;
  }

  /** Registers {@code handler} as above, its requests admitted by {@code gate} before they are read. */
  public AwsTargetRouter register(String prefix, TargetHandler handler, WriteGate gate) {
    register(prefix, handler);
    gates.put(prefix, requireNonNull(gate, "gate"));
    return this;
  }

  /** Registers a handler asked, in registration order, about requests without X-Amz-Target. */
  public AwsTargetRouter registerFallback(String name, FallbackHandler handler) {
    fallbacks.put(requireNonNull(name, "name"), requireNonNull(handler, "handler"));
    return this;
  }

  public void bind(ServerBuilder sb) {
    sb.route().post("/").requestTimeout(REQUEST_TIMEOUT).decorator(DecodingService.newDecorator()).build((ctx, req) -> {
      String target = req.headers().get("x-amz-target");
      int dot = target == null ? -1 : target.lastIndexOf('.');
      WriteGate gate = dot < 0 ? null : gates.get(target.substring(0, dot));
      if (gate == null) {
        return HttpResponse.of(req.aggregate().thenApplyAsync(agg -> dispatch(ctx, agg), ctx.blockingTaskExecutor()));
      }
      return WriteAdmission.serve(ctx, req, gate.admission(target.substring(dot + 1)),
          e -> gate.refused(req.headers(), e), agg -> dispatch(ctx, agg));
    });
  }

  private HttpResponse dispatch(ServiceRequestContext ctx, AggregatedHttpRequest req) {
    String target = req.headers().get("x-amz-target");
    if (target == null) {
      for (FallbackHandler f : fallbacks.values()) {
        HttpResponse r = f.handle(ctx, req);
        if (r != null) {
          return r;
        }
      }
      return jsonError(HttpStatus.BAD_REQUEST, "UnknownOperationException", "missing X-Amz-Target header");
    }
    int dot = target.lastIndexOf('.');
    TargetHandler h = dot < 0 ? null : byPrefix.get(target.substring(0, dot));
    if (h == null) {
      return jsonError(HttpStatus.BAD_REQUEST, "UnknownOperationException", "unknown X-Amz-Target " + target);
    }
    return h.handle(ctx, req, target.substring(dot + 1));
  }

  /**
   * An error in the awsJson1.0/1.1 shape: {"__type": "...", "message": "..."}, x-amzn-ErrorType and,
   * as every AWS response has, x-amzn-RequestId.
   */
  public static HttpResponse jsonError(HttpStatus status, String type, String message) {
    String body = "{\"__type\":\"" + escape(type) + "\",\"message\":\"" + escape(message) + "\"}";
    return HttpResponse.of(ResponseHeaders.builder(status)
        .contentType(MediaType.parse("application/x-amz-json-1.1"))
        .add(HttpHeaderNames.of("x-amzn-errortype"), type)
        .add(REQUEST_ID, newRequestId())
        .build(), HttpData.ofUtf8(body));
  }

  /** A new value for {@link #REQUEST_ID}. */
  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  private static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
