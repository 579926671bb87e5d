package dev.kansoku.ship;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShipOptionsTest {
  @Test
  void parsesEveryOption() throws Exception {
    ShipOptions o = ShipOptions.parse(List.of("--endpoint", "http://localhost:4600", "--log-group=/ecs/dice",
        "--log-stream", "dice/1", "--file", "app.log", "--from-start", "--flush-interval", "250ms", "--region", "us-west-2"));
    assertThat(o).isEqualTo(new ShipOptions(URI.create("http://localhost:4600"), "us-west-2", "/ecs/dice", "dice/1",
        Path.of("app.log"), true, Duration.ofMillis(250)));
  }

  @Test
  void defaultsAreAwsStdinAndOneSecond() throws Exception {
    ShipOptions o = ShipOptions.parse(List.of("--log-group", "g", "--log-stream", "s"));
    assertThat(o.endpoint()).isNull();
    assertThat(o.file()).isNull();
    assertThat(o.flushInterval()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void errorsSayWhatIsWrong() {
    check(List.of("--log-stream", "s"), "--log-group is required (e.g. --log-group /ecs/dice)");
    check(List.of("--log-group", "g"), "--log-stream is required (e.g. --log-stream dice/1)");
    check(List.of("--log-group", "g", "--log-stream", "s", "--from-start"), "--from-start needs --file");
    check(List.of("--log-group", "g", "--log-stream", "s", "--endpoint", "localhost:4600"),
        "--endpoint: \"localhost:4600\" (expected: an http or https URL such as http://localhost:4600)");
    check(List.of("--log-group", "g", "--log-stream", "s", "--flush-interval", "5"),
        "--flush-interval: \"5\" (expected: 10ms to 60m, e.g. 500ms, 2s)");
    check(List.of("--log-group", "g", "--log-stream", "s", "--flush-interval", "2h"),
        "--flush-interval: \"2h\" (expected: 10ms to 60m, e.g. 500ms, 2s)");
    check(List.of("--log-group", "g", "--log-stream", "s", "--tail"), "unknown argument \"--tail\"");
    check(List.of("--log-group"), "--log-group needs a value");
  }

  private static void check(List<String> args, String message) {
    assertThatThrownBy(() -> ShipOptions.parse(args)).isInstanceOf(ShipOptions.UsageException.class)
        .hasMessage(message);
  }
}
