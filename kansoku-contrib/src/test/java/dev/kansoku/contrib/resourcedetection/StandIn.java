package dev.kansoku.contrib.resourcedetection;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A metadata service stand-in on loopback: answers from {@link Handler}, remembers every request. */
final class StandIn implements AutoCloseable {
  record Answer(int status, String body) {}

  interface Handler {
    Answer answer(String method, String path, Headers headers);
  }

  private final HttpServer server;
  final List<String> requests = new CopyOnWriteArrayList<>();

  StandIn(Handler handler) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", ex -> {
      try (ex) {
        String path = ex.getRequestURI().getRawPath();
        requests.add(ex.getRequestMethod() + " " + path);
        Answer a = handler.answer(ex.getRequestMethod(), path, ex.getRequestHeaders());
        byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(a.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body);
        }
      }
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  static String resource(String name) {
    try (var in = StandIn.class.getResourceAsStream("/resourcedetection/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
