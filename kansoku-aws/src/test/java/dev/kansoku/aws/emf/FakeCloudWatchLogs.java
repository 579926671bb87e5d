package dev.kansoku.aws.emf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A CloudWatch Logs stand-in on loopback that speaks awsJson1.1 (POST /, X-Amz-Target
 * Logs_20140328.&lt;Operation&gt;) for the operations awsemf uses, keeps log groups and streams, and
 * records every request. Tests script failures of the next PutLogEvents calls.
 *
 * <p>The JDK's HTTP server, not Armeria: in kansoku-aws the AWS SDK's netty-nio-client pins
 * netty-common 4.1 on the test classpath, which Armeria's Netty 4.2 transport cannot start with.
 */
final class FakeCloudWatchLogs implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AWS_JSON = "application/x-amz-json-1.1";

  private record Answer(int status, String body) {}

  record Call(String operation, JsonNode body, String logsFormat) {}

  record Failure(int status, String type) {}

  private final Object lock = new Object();
  private final List<Call> calls = new ArrayList<>(); // guarded by lock
  private final Set<String> groups = new HashSet<>(); // guarded by lock
  private final Set<String> streams = new HashSet<>(); // guarded by lock
  private final Deque<Failure> putFailures = new ArrayDeque<>(); // guarded by lock
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  FakeCloudWatchLogs() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", this::exchange);
    server.setExecutor(executor);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void exchange(HttpExchange ex) throws IOException {
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Answer a = handle(ex.getRequestHeaders().getFirst("X-Amz-Target"), ex.getRequestHeaders().getFirst(
        "x-amzn-logs-format"), body);
    byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", AWS_JSON);
    ex.getResponseHeaders().set("x-amzn-RequestId", "c0ffee00-0000-0000-0000-000000000000");
    ex.sendResponseHeaders(a.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  void addStream(String group, String stream) {
    synchronized (lock) {
      groups.add(group);
      streams.add(group + "\n" + stream);
    }
  }

  /** Scripts the next PutLogEvents answer; status 0 lets that call through. */
  void failNextPut(int status, String type) {
    synchronized (lock) {
      putFailures.add(new Failure(status, type));
    }
  }

  List<Call> calls() {
    synchronized (lock) {
      return List.copyOf(calls);
    }
  }

  List<String> operations() {
    return calls().stream().map(Call::operation).toList();
  }

  List<Call> puts() {
    return calls().stream().filter(c -> c.operation().equals("PutLogEvents")).toList();
  }

  private Answer handle(String target, String logsFormat, String text) {
    String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
    JsonNode body;
    try {
      body = JSON.readTree(text);
    } catch (IOException e) {
      return error(400, "SerializationException", "not JSON");
    }
    String group = body.path("logGroupName").asText();
    String stream = group + "\n" + body.path("logStreamName").asText();
    synchronized (lock) {
      calls.add(new Call(op, body, logsFormat));
      switch (op) {
        case "PutLogEvents" -> {
          Failure f = putFailures.poll();
          if (f != null && f.status() != 0) {
            return error(f.status(), f.type(), "scripted failure");
          }
          if (!groups.contains(group)) {
            return error(400, "ResourceNotFoundException", "The specified log group does not exist.");
          }
          if (!streams.contains(stream)) {
            return error(400, "ResourceNotFoundException", "The specified log stream does not exist.");
          }
          return ok("{\"nextSequenceToken\":\"49039859587069191929\"}");
        }
        case "CreateLogGroup" -> {
          if (!groups.add(group)) {
            return error(400, "ResourceAlreadyExistsException", "The specified log group already exists");
          }
          return ok("{}");
        }
        case "CreateLogStream" -> {
          if (!groups.contains(group)) {
            return error(400, "ResourceNotFoundException", "The specified log group does not exist.");
          }
          if (!streams.add(stream)) {
            return error(400, "ResourceAlreadyExistsException", "The specified log stream already exists");
          }
          return ok("{}");
        }
        case "PutRetentionPolicy" -> {
          return ok("{}");
        }
        default -> {
          return error(400, "UnknownOperationException", op);
        }
      }
    }
  }

  private static Answer ok(String body) {
    return new Answer(200, body);
  }

  private static Answer error(int status, String type, String message) {
    return new Answer(status, "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}");
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
