package dev.kansoku.contrib.resourcedetection;

import static dev.kansoku.contrib.resourcedetection.SystemDetectorTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.resourcedetection.Detector.Detected;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docker detector against a Docker Engine stand-in on a unix socket. */
class DockerDetectorTest {
  private static final Instant LATER = Instant.now().plusSeconds(30);
  private final List<String> requests = new CopyOnWriteArrayList<>();

  @Test
  void host_name_and_os_type_from_info_and_container_attributes_when_turned_on(@TempDir Path dir) throws Exception {
    Path socket = dir.resolve("docker.sock");
    try (ServerSocketChannel server = engine(socket)) {
      Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + socket);
      FakeHost host = new FakeHost();
      host.hostname = "3f4e5d6c7b8a";
      Detected d = new DockerDetector(env::get, host, new DetectorSettings.Docker(), false).detect(LATER);
      assertThat(text(d)).containsExactly(Map.entry("host.name", "docker-desktop"), Map.entry("os.type", "linux"));
      assertThat(d.schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.40.0");
      assertThat(requests).containsExactly("GET /info HTTP/1.0");

      DetectorSettings.Docker on = new DetectorSettings.Docker();
      for (String a : List.of("container.name", "container.image.name")) {
        DetectorSettings.Toggle t = new DetectorSettings.Toggle();
        t.enabled = true;
        on.resourceAttributes.put(a, t);
      }
      assertThat(text(new DockerDetector(env::get, host, on, false).detect(LATER)))
          .containsEntry("container.name", "/otel-collector")
          .containsEntry("container.image.name", "sha256:9b1c5a2e7d3f");
      assertThat(requests).contains("GET /containers/3f4e5d6c7b8a/json HTTP/1.0");

      // a container that cannot be found by host name keeps the host attributes
      host.hostname = "elsewhere";
      assertThat(text(new DockerDetector(env::get, host, on, false).detect(LATER)))
          .containsOnlyKeys("host.name", "os.type");
    }
  }

  @Test
  void without_a_daemon_nothing_is_added_unless_missing_metadata_must_fail(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + dir.resolve("absent.sock"));
    assertThat(new DockerDetector(env::get, new FakeHost(), new DetectorSettings.Docker(), false).detect(LATER))
        .isEqualTo(Detected.NONE);
    assertThatThrownBy(() -> new DockerDetector(env::get, new FakeHost(), new DetectorSettings.Docker(), true)
        .detect(LATER)).hasMessageStartingWith("docker metadata unavailable");
  }

  /** Answers /info and /containers/3f4e5d6c7b8a/json as the Engine API does, one exchange per connection. */
  private ServerSocketChannel engine(Path socket) throws IOException {
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    Thread t = new Thread(() -> {
      while (server.isOpen()) {
        try (SocketChannel c = server.accept()) {
          ByteBuffer in = ByteBuffer.allocate(4096);
          String request = "";
          while (!request.contains("\r\n\r\n") && c.read(in) > 0) {
            request = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII);
          }
          String line = request.substring(0, request.indexOf("\r\n"));
          requests.add(line);
          String body;
          String status = "200 OK";
          if (line.startsWith("GET /info ")) {
            body = "{\"ID\":\"7TRN:IPZB\",\"Containers\":3,\"Name\":\"docker-desktop\",\"OSType\":\"linux\","
                + "\"OperatingSystem\":\"Docker Desktop\",\"Architecture\":\"aarch64\"}";
          } else if (line.startsWith("GET /containers/3f4e5d6c7b8a/json ")) {
            body = "{\"Id\":\"3f4e5d6c7b8a9d0e\",\"Name\":\"/otel-collector\",\"Image\":\"sha256:9b1c5a2e7d3f\","
                + "\"Config\":{\"Hostname\":\"3f4e5d6c7b8a\",\"Image\":\"otel/opentelemetry-collector-contrib\"}}";
          } else {
            status = "404 Not Found";
            body = "{\"message\":\"No such container: elsewhere\"}";
          }
          byte[] b = body.getBytes(StandardCharsets.UTF_8);
          c.write(ByteBuffer.wrap(("HTTP/1.0 " + status + "\r\nContent-Type: application/json\r\nContent-Length: "
              + b.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
          c.write(ByteBuffer.wrap(b));
        } catch (IOException e) {
          return;
        }
      }
    }, "docker-stand-in");
    t.setDaemon(true);
    t.start();
    return server;
  }
}
