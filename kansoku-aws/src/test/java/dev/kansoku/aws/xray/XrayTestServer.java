package dev.kansoku.aws.xray;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A loopback stand-in for X-Ray's PutTraceSegments: records every request and answers as X-Ray does
 * (restJson1: 200 with {@code UnprocessedTraceSegments}, errors with {@code x-amzn-ErrorType}), or
 * with scripted failures and unprocessed segments.
 *
 * <p>The JDK's server, not Armeria: in this module's test class path the AWS SDK's older Netty wins
 * over Armeria's, and Armeria's server does not start (see the module notes).
 */
final class XrayTestServer implements AutoCloseable {
  record Recorded(String method, String path, Map<String, String> headers, JsonNode body) {
    List<String> documents() {
      List<String> out = new ArrayList<>();
      body.path("TraceSegmentDocuments").forEach(d -> out.add(d.asText()));
      return out;
    }
  }

  record Failure(int status, String errorType) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Failure> failures = new ArrayDeque<>(); // guarded by itself
  /** Picks the ids to report unprocessed from a request's segment ids; none by default. */
  volatile Function<List<String>, List<String>> unprocessed = ids -> List.of();
  private final HttpServer server;

  XrayTestServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.createContext("/", this::handle);
    server.start();
  }

  private void handle(HttpExchange ex) throws IOException {
    String text = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Map<String, String> headers = new TreeMap<>();
    ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
    JsonNode body;
    try {
      body = JSON.readTree(text);
    } catch (IOException e) {
      body = JSON.getNodeFactory().textNode(text);
    }
    requests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(), headers, body));
    Failure failure;
    synchronized (failures) {
      failure = failures.poll();
    }
    if (failure != null) {
      ex.getResponseHeaders().add("x-amzn-ErrorType", failure.errorType());
      reply(ex, failure.status(), "{\"message\":\"scripted " + failure.errorType() + "\"}");
      return;
    }
    if (!ex.getRequestMethod().equals("POST") || !ex.getRequestURI().getPath().equals("/TraceSegments")) {
      ex.getResponseHeaders().add("x-amzn-ErrorType", "UnknownOperationException");
      reply(ex, 404, "{\"message\":\"unknown operation\"}");
      return;
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode d : body.path("TraceSegmentDocuments")) {
      try {
        ids.add(JSON.readTree(d.asText()).path("id").asText());
      } catch (IOException e) {
        ids.add("");
      }
    }
    StringBuilder out = new StringBuilder("{\"UnprocessedTraceSegments\":[");
    List<String> bad = unprocessed.apply(ids);
    for (int i = 0; i < bad.size(); i++) {
      out.append(i == 0 ? "" : ",").append("{\"Id\":\"").append(bad.get(i))
          .append("\",\"ErrorCode\":\"InvalidSegment\",\"Message\":\"scripted\"}");
    }
    out.append("]}");
    reply(ex, 200, out.toString());
  }

  private static void reply(HttpExchange ex, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.getResponseHeaders().add("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream os = ex.getResponseBody()) {
      os.write(bytes);
    }
  }

  void failNext(int times, int status, String errorType) {
    synchronized (failures) {
      for (int i = 0; i < times; i++) {
        failures.add(new Failure(status, errorType));
      }
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  void reset() {
    requests.clear();
    synchronized (failures) {
      failures.clear();
    }
    unprocessed = ids -> List.of();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
