package dev.kansoku.otlp;

import com.fasterxml.jackson.annotation.JsonSetter;
import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.Endpoints;
import dev.kansoku.pipeline.config.TlsServerSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code otlp} receiver. A protocol key that is present turns that listener on, even when empty
 * (the seed writes {@code grpc:} and {@code http:} with no settings); an absent one leaves it off.
 */
final class OtlpReceiverConfig implements Validatable {
  Protocols protocols = new Protocols();

  static final class Protocols {
    GrpcSettings grpc;
    HttpSettings http;

    @JsonSetter("grpc")
    void setGrpc(GrpcSettings value) {
      grpc = value == null ? new GrpcSettings() : value;
    }

    @JsonSetter("http")
    void setHttp(HttpSettings value) {
      http = value == null ? new HttpSettings() : value;
    }
  }

  static final class GrpcSettings {
    /** host:port to listen on; loopback unless you say otherwise. Example: 0.0.0.0:4317. */
    String endpoint = "localhost:4317";
    /** Largest request message accepted, in MiB. Example: 4. */
    int maxRecvMsgSizeMib = 4;
    /** Serve TLS. */
    TlsServerSettings tls;
    /** Require an authenticator extension's approval. Example: {authenticator: bearertokenauth}. */
    AuthSettings auth;
  }

  static final class HttpSettings {
    /** host:port to listen on; loopback unless you say otherwise. Example: 0.0.0.0:4318. */
    String endpoint = "localhost:4318";
    /** Largest request body accepted, compressed or not, in bytes. Example: 20971520. */
    long maxRequestBodySize = 20L << 20;
    TlsServerSettings tls;
    AuthSettings auth;
    /** Cross-origin access for browser senders. */
    CorsSettings cors;
    /** Paths of the three signals. Example: /v1/traces. */
    String tracesUrlPath = "/v1/traces";
    String metricsUrlPath = "/v1/metrics";
    String logsUrlPath = "/v1/logs";
  }

  static final class CorsSettings {
    /** Origins allowed to send; "*" allows any. Example: [https://app.example.com]. */
    List<String> allowedOrigins = new ArrayList<>();
    /** Request headers allowed beyond the CORS-safelisted ones. Example: [X-Custom]. */
    List<String> allowedHeaders = new ArrayList<>();
    /** Seconds a browser may cache a preflight answer. Example: 7200. */
    int maxAge;
  }

  @Override
  public void validate() {
    if (protocols.grpc == null && protocols.http == null) {
      throw new IllegalArgumentException("protocols: enable at least one of grpc or http");
    }
    List<String> problems = new ArrayList<>();
    if (protocols.grpc != null) {
      check("protocols::grpc::endpoint", protocols.grpc.endpoint, problems);
      if (protocols.grpc.maxRecvMsgSizeMib <= 0) {
        problems.add("protocols::grpc::max_recv_msg_size_mib: " + protocols.grpc.maxRecvMsgSizeMib
            + " (expected: > 0)");
      }
      tls("protocols::grpc::tls", protocols.grpc.tls, problems);
    }
    if (protocols.http != null) {
      check("protocols::http::endpoint", protocols.http.endpoint, problems);
      if (protocols.http.maxRequestBodySize <= 0) {
        problems.add("protocols::http::max_request_body_size: " + protocols.http.maxRequestBodySize
            + " (expected: > 0)");
      }
      tls("protocols::http::tls", protocols.http.tls, problems);
      for (String p : List.of(protocols.http.tracesUrlPath, protocols.http.metricsUrlPath,
          protocols.http.logsUrlPath)) {
        if (!p.startsWith("/")) {
          problems.add("protocols::http: url path \"" + p + "\" (expected: starting with /)");
        }
      }
      if (protocols.http.cors != null && protocols.http.cors.allowedOrigins.isEmpty()) {
        problems.add("protocols::http::cors::allowed_origins: empty (expected: at least one origin, or \"*\")");
      }
    }
    if (protocols.grpc != null && protocols.http != null
        && Endpoints.parse(protocols.grpc.endpoint).equals(Endpoints.parse(protocols.http.endpoint))
        && Endpoints.parse(protocols.grpc.endpoint).getPort() != 0) {
      problems.add("protocols: grpc and http cannot share the endpoint " + protocols.grpc.endpoint);
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  private static void check(String path, String endpoint, List<String> problems) {
    try {
      Endpoints.parse(endpoint);
    } catch (IllegalArgumentException e) {
      problems.add(path + ": " + e.getMessage());
    }
  }

  private static void tls(String path, TlsServerSettings tls, List<String> problems) {
    if (tls == null) {
      return;
    }
    try {
      tls.validate();
    } catch (IllegalArgumentException e) {
      problems.add(path + ": " + e.getMessage());
    }
  }
}
