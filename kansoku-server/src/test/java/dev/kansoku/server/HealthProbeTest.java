package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kansoku healthcheck}: the exit code a container health check reads. */
class HealthProbeTest {
  @Test
  void exits_zero_while_the_health_check_answers_available_and_one_when_nothing_answers() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port + "/";
    String yaml = """
        extensions: {health_check: {endpoint: "127.0.0.1:%d"}}
        receivers: {otlp: {protocols: {grpc: {endpoint: "127.0.0.1:0"}}}}
        exporters: {nop: }
        service: {extensions: [health_check], pipelines: {traces: {receivers: [otlp], exporters: [nop]}}}
        """.formatted(port);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (Kansoku k = Kansoku.start(List.of("yaml:" + yaml), n -> null)) {
      assertThat(Main.execute(new String[] {"healthcheck", "--url", url}, n -> null, print(out), print(err), false))
          .isZero();
      assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("200 {\"status\":\"Server available\"");
    }
    assertThat(Main.execute(new String[] {"healthcheck", "--url", url}, n -> null, print(out), print(err), false))
        .isEqualTo(1);
    assertThat(Main.execute(new String[] {"healthcheck", "--uri"}, n -> null, print(out), print(err), false))
        .isEqualTo(2);
  }

  private static PrintStream print(ByteArrayOutputStream b) {
    return new PrintStream(b, true, StandardCharsets.UTF_8);
  }
}
