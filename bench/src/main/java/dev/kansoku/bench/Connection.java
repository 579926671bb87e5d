package dev.kansoku.bench;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.SessionProtocol;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One client connection to an OTLP endpoint. Each instance has its own {@link ClientFactory}, hence
 * its own connection pool: N instances are N independent TCP connections (HTTP/2 for gRPC, as an
 * SDK's exporter holds one). gRPC is spoken directly (length-prefixed frames, {@code grpc-status}
 * trailers) over a {@link WebClient} so that sending a pooled request is a buffer write, with no
 * per-request marshalling on the client.
 *
 * <p>Thread-safe; {@link #send} may be called from several threads (requests then share the
 * connection as HTTP/2 streams, or open more connections for HTTP/1.1).
 */
final class Connection implements AutoCloseable {
  private static final String[] GRPC_CODES = {
      "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
      "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
      "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"};

  /** What the server answered: items it rejected (partial success), or an error kind such as {@code grpc UNAVAILABLE}. */
  record Outcome(long rejected, String error) {
    boolean ok() {
      return error == null;
    }
  }

  private final Protocol protocol;
  private final ClientFactory factory;
  private final WebClient client;
  private final List<Map.Entry<String, String>> headers;

  Connection(Protocol protocol, URI endpoint, EventLoopGroup workers, List<Map.Entry<String, String>> headers) {
    this.protocol = protocol;
    this.headers = List.copyOf(headers);
    this.factory = ClientFactory.builder()
        .workerGroup(workers, false)
        .idleTimeout(Duration.ofMinutes(5))
        .build();
    boolean tls = "https".equals(endpoint.getScheme());
    SessionProtocol session = protocol == Protocol.GRPC
        ? (tls ? SessionProtocol.H2 : SessionProtocol.H2C)
        : (tls ? SessionProtocol.H1 : SessionProtocol.H1C);
    int port = endpoint.getPort() > 0 ? endpoint.getPort() : (tls ? 443 : 80);
    this.client = WebClient.builder(session.uriText() + "://" + endpoint.getHost() + ":" + port)
        .factory(factory)
        .responseTimeout(Duration.ofSeconds(30))
        .writeTimeout(Duration.ofSeconds(30))
        .maxResponseLength(16 * 1024 * 1024)
        .build();
  }

  /** Sends one pooled request; the future completes with the outcome, never exceptionally. */
  CompletableFuture<Outcome> send(RequestPool.Request request) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.POST, protocol.path(request.signal()))
        .set("content-type", protocol.contentType());
    if (protocol == Protocol.GRPC) {
      h.set("te", "trailers");
    }
    for (Map.Entry<String, String> e : headers) {
      h.add(e.getKey(), e.getValue());
    }
    return client.execute(HttpRequest.of(h.build(), HttpData.wrap(request.body())))
        .aggregate()
        .handle((res, ex) -> ex != null ? new Outcome(0, errorKind(ex)) : outcome(request.signal(), res));
  }

  private Outcome outcome(OtlpSignal signal, AggregatedHttpResponse res) {
    int status = res.status().code();
    try {
      if (protocol == Protocol.GRPC) {
        if (status != 200) {
          return new Outcome(0, "http " + status);
        }
        String grpcStatus = grpcStatus(res.trailers());
        if (grpcStatus == null) {
          grpcStatus = grpcStatus(res.headers());
        }
        if (grpcStatus == null) {
          return new Outcome(0, "grpc no status");
        }
        if (!grpcStatus.equals("0")) {
          return new Outcome(0, "grpc " + grpcCodeName(grpcStatus));
        }
        return new Outcome(signal.rejected(res.content().array(), 5), null);
      }
      if (status != 200) {
        return new Outcome(0, "http " + status);
      }
      return new Outcome(protocol == Protocol.HTTP_JSON
          ? signal.rejectedJson(res.content().array())
          : signal.rejected(res.content().array(), 0), null);
    } catch (Exception e) {
      return new Outcome(0, "bad response " + e.getClass().getSimpleName());
    }
  }

  private static String grpcStatus(HttpHeaders headers) {
    return headers.get("grpc-status");
  }

  static String grpcCodeName(String code) {
    try {
      int n = Integer.parseInt(code);
      return n >= 0 && n < GRPC_CODES.length ? GRPC_CODES[n] : code;
    } catch (NumberFormatException e) {
      return code;
    }
  }

  private static String errorKind(Throwable ex) {
    Throwable t = ex;
    while ((t instanceof CompletionException || t instanceof UnprocessedRequestException) && t.getCause() != null) {
      t = t.getCause();
    }
    return "exception " + t.getClass().getSimpleName();
  }

  @Override
  public void close() {
    factory.close();
  }
}
