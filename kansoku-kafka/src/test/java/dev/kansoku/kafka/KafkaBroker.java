package dev.kansoku.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker for all tests of this JVM, started with the project's
 * {@code deploy/services/kafka-start.sh} on free loopback ports and stopped with
 * {@code stop.sh --purge} when the test run ends. Tests isolate themselves with their own topics
 * and consumer groups ({@link #unique}).
 */
final class KafkaBroker implements BeforeAllCallback {
  private static final Path SERVICES = Path.of("..", "deploy", "services").toAbsolutePath().normalize();
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static volatile Running running;

  /** A started broker; closing it stops the process and deletes its data directory. */
  record Running(Path dir, String bootstrap) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      run(List.of("bash", SERVICES.resolve("stop.sh").toString(), dir.toString(), "--purge"), Map.of(), 90);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(KafkaBroker.class, k -> start(), Running.class);
  }

  static String bootstrap() {
    return running.bootstrap();
  }

  /** A name no other test of this run uses. */
  static String unique(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
  }

  private static Running start() {
    try {
      Path dir = Files.createTempDirectory("kansoku-kafka-test");
      int port = freePort();
      int controllerPort = freePort();
      run(List.of("bash", SERVICES.resolve("kafka-start.sh").toString(), dir.toString()),
          Map.of("KAFKA_PORT", String.valueOf(port), "KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort)), 180);
      Running r = new Running(dir, "127.0.0.1:" + port);
      // Also on an abrupt end of the test JVM (surefire timeout), so no broker outlives the run.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          r.close();
        } catch (Exception e) {
          // The JVM is exiting; nothing more to do.
        }
      }));
      return r;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start Kafka with " + SERVICES.resolve("kafka-start.sh"), e);
    }
  }

  private static void run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
    Path out = Files.createTempFile("kafka-script", ".out");
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(command + " did not finish in " + timeoutSeconds + " s");
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    if (p.exitValue() != 0) {
      throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + text);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
