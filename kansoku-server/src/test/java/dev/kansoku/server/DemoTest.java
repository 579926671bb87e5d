package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's command line; the demo itself runs the processes DiceAgentsTest covers. */
class DemoTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int demo(String... args) {
    return Main.execute(concat(args), k -> null, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), false);
  }

  private static String[] concat(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "demo";
    System.arraycopy(args, 0, all, 1, args.length);
    return all;
  }

  @Test
  void badArgumentsSayWhatIsExpected() {
    assertThat(demo("--rate", "fast")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("--rate: \"fast\" (expected: rolls per second, 0.01 to 1000)").contains("Usage: kansoku demo");
    err.reset();
    assertThat(demo("--agent", "xray")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("--agent: \"xray\" (expected: adot or otel)");
    err.reset();
    assertThat(demo("--port-offset")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("--port-offset needs a value");
  }

  @Test
  void anUnbuiltDiceAppIsNamedWithTheCommandThatBuildsIt() {
    assertThat(demo("--dice-dir", dir.toString())).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("The dice app is not built in " + dir.toAbsolutePath())
        .contains("mvn -f examples/dice/pom.xml package");
  }

  @Test
  void helpPrintsUsage() {
    assertThat(demo("--help")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("--rate N", "--agent A", "--port-offset N");
  }
}
