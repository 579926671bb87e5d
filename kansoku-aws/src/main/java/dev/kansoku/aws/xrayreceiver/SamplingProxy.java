package dev.kansoku.aws.xrayreceiver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The X-Ray daemon's TCP port: X-Ray SDK and OpenTelemetry samplers post {@code /GetSamplingRules}
 * and {@code /SamplingTargets} to it unsigned, and it answers through an {@link Upstream} (Kansoku's
 * own rules, or X-Ray signed). Only those two paths: an unsigned listener that signed any X-Ray call
 * with the collector's credentials would let every local process write and delete in X-Ray.
 *
 * <p>Thread-safe; two handler threads (samplers call every 10 s per process).
 */
final class SamplingProxy {
  private static final Logger log = LoggerFactory.getLogger(SamplingProxy.class);
  static final Set<String> PATHS = Set.of("/GetSamplingRules", "/SamplingTargets");
  /** Sampling requests are small (at most 25 statistics documents); anything far larger is not one. */
  private static final int MAX_BODY_BYTES = 1 << 20;

  /** Where the answers come from. */
  interface Upstream {
    LocalSampling.Answer call(String path, byte[] body) throws IOException;
  }

  private final HttpServer server;
  private final ExecutorService executor;

  private SamplingProxy(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Listens on {@code address} (TCP) until {@link #stop}. */
  static SamplingProxy start(InetSocketAddress address, Upstream upstream, String id) throws IOException {
    HttpServer server = HttpServer.create(address, 0);
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "awsxray-sampling-" + id);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try (exchange) {
        handle(exchange, upstream, id);
      }
    });
    server.start();
    return new SamplingProxy(server, executor);
  }

  private static void handle(HttpExchange exchange, Upstream upstream, String id) throws IOException {
    String path = exchange.getRequestURI().getPath();
    if (!PATHS.contains(path)) {
      reply(exchange, new LocalSampling.Answer(404, "NotFoundException", error("this is the X-Ray sampling proxy: "
          + "only POST /GetSamplingRules and POST /SamplingTargets are served, not " + path)));
      return;
    }
    if (!exchange.getRequestMethod().equals("POST")) {
      exchange.getResponseHeaders().add("Allow", "POST");
      reply(exchange, new LocalSampling.Answer(405, "MethodNotAllowedException",
          error(exchange.getRequestMethod() + " " + path + ": expected POST")));
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readNBytes(MAX_BODY_BYTES + 1);
    }
    if (body.length > MAX_BODY_BYTES) {
      reply(exchange, new LocalSampling.Answer(413, "InvalidRequestException",
          error("request body larger than " + MAX_BODY_BYTES + " bytes")));
      return;
    }
    LocalSampling.Answer answer;
    try {
      answer = upstream.call(path, body);
    } catch (IOException | RuntimeException e) {
      // 5xx: samplers keep their current rules and try again at the next poll.
      log.warn("awsxray receiver {}: sampling proxy could not answer {}: {}", id, path, e.toString());
      answer = new LocalSampling.Answer(502, "ServiceUnavailableException", error(path + ": " + e.getMessage()));
    }
    reply(exchange, answer);
  }

  private static byte[] error(String message) {
    StringBuilder b = new StringBuilder("{\"message\":\"");
    for (char c : message.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void reply(HttpExchange exchange, LocalSampling.Answer answer) throws IOException {
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    if (answer.errorType() != null) {
      exchange.getResponseHeaders().add("x-amzn-ErrorType", answer.errorType());
    }
    exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer.body());
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
