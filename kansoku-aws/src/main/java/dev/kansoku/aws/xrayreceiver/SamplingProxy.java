package dev.kansoku.aws.xrayreceiver;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.kansoku.pipeline.Host;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.annotation.Nullable;
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
  @Nullable private final SignedForwarder forwarder;

  private SamplingProxy(HttpServer server, ExecutorService executor, @Nullable SignedForwarder forwarder) {
    this.server = server;
    this.executor = executor;
    this.forwarder = forwarder;
  }

  /**
   * Listens where {@code config} says until {@link #stop}, answering from Kansoku's own rules when the
   * service runs an extension that has them ({@link LocalSampling}) and no aws_endpoint says
   * otherwise, else signing and forwarding to X-Ray. For components started after the extensions.
   *
   * @param label who serves, for logs, e.g. {@code awsxray receiver awsxray}
   * @param prefix the key path of {@code config} in messages, e.g. {@code proxy_server::}
   */
  static SamplingProxy serve(String label, String id, ProxyConfig config, String prefix, @Nullable Host host,
      Function<String, String> env) throws IOException {
    List<LocalSampling> local = host == null || !config.awsEndpoint.isEmpty() ? List.of()
        : host.extensions(LocalSampling.class);
    SignedForwarder forwarder = local.isEmpty() ? new SignedForwarder(config, env, prefix) : null;
    Upstream upstream = forwarder != null ? forwarder : local.get(0)::answerSampling;
    SamplingProxy proxy = listen(label, id, config.bindAddress(prefix), upstream, forwarder);
    log.info("{}: sampling proxy on tcp {}, {}", label, proxy.port(), forwarder == null
        ? "answered from Kansoku's own sampling rules" : "signed and forwarded to " + forwarder.endpoint());
    return proxy;
  }

  /**
   * Listens on {@code address} (unresolved is resolved here) until {@link #stop}, answering through
   * {@code upstream}; {@code owned}, if any, is closed on stop (or at once when listening fails).
   */
  static SamplingProxy listen(String label, String id, InetSocketAddress address, Upstream upstream,
      @Nullable SignedForwarder owned) throws IOException {
    InetSocketAddress bind = address.isUnresolved() ? new InetSocketAddress(address.getHostString(), address.getPort())
        : address;
    HttpServer server;
    try {
      server = HttpServer.create(bind, 0);
    } catch (IOException | RuntimeException e) {
      if (owned != null) {
        owned.close();
      }
      throw e;
    }
    ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "awsxray-sampling-" + id);
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", exchange -> {
      try (exchange) {
        handle(exchange, upstream, label);
      }
    });
    server.start();
    return new SamplingProxy(server, executor, owned);
  }

  private static void handle(HttpExchange exchange, Upstream upstream, String label) throws IOException {
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
      log.warn("{}: sampling proxy could not answer {}: {}", label, path, e.toString());
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

  /** Stops listening and releases the forwarder's HTTP client. */
  void stop() {
    server.stop(0);
    if (forwarder != null) {
      forwarder.close();
    }
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
