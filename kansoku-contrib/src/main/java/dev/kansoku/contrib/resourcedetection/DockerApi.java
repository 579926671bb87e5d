package dev.kansoku.contrib.resourcedetection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

/**
 * GETs to the Docker Engine API where {@code DOCKER_HOST} says ({@code unix://…} or
 * {@code tcp://…}), by default the socket {@code /var/run/docker.sock}. Over a unix socket each call
 * is one HTTP/1.0 exchange (the daemon answers and closes, no chunking), bounded by the deadline.
 */
final class DockerApi {
  static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

  record Response(int status, String body) {}

  private final String host;
  private final MetadataHttp http = new MetadataHttp();

  DockerApi(Function<String, String> env) {
    String configured = env.apply("DOCKER_HOST");
    this.host = configured == null || configured.isBlank() ? DEFAULT_HOST : configured.trim();
  }

  String host() {
    return host;
  }

  Response get(String path, Instant deadline) throws IOException {
    if (host.startsWith("tcp://") || host.startsWith("http://")) {
      MetadataHttp.Response r = http.get(URI.create("http://" + host.substring(host.indexOf("://") + 3) + path),
          Map.of(), deadline);
      return new Response(r.status(), r.body());
    }
    if (!host.startsWith("unix://")) {
      throw new IOException("DOCKER_HOST " + host + ": expected unix:// or tcp://");
    }
    return overSocket(Path.of(host.substring("unix://".length())), path, deadline);
  }

  private static Response overSocket(Path socket, String path, Instant deadline) throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        Selector selector = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (true) {
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          throw new IOException("GET " + path + " on " + socket + ": no answer in time");
        }
        selector.select(left);
        selector.selectedKeys().clear();
        int n = ch.read(buf.clear());
        if (n < 0) {
          break;
        }
        raw.write(buf.array(), 0, n);
      }
      return parse(raw.toString(StandardCharsets.UTF_8), path);
    }
  }

  private static Response parse(String raw, String path) throws IOException {
    int headersEnd = raw.indexOf("\r\n\r\n");
    String[] status = raw.substring(0, Math.max(0, raw.indexOf("\r\n"))).split(" ", 3);
    if (headersEnd < 0 || status.length < 2 || !status[0].startsWith("HTTP/")) {
      throw new IOException("GET " + path + ": not an HTTP answer");
    }
    try {
      return new Response(Integer.parseInt(status[1]), raw.substring(headersEnd + 4));
    } catch (NumberFormatException e) {
      throw new IOException("GET " + path + ": bad status line " + status[1]);
    }
  }
}
