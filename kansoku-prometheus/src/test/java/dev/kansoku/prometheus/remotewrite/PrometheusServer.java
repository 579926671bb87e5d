package dev.kansoku.prometheus.remotewrite;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Prometheus (Debian's package) for the tests of this JVM, started with the project's
 * {@code deploy/services/prometheus-start.sh} on a free loopback port with the remote write receiver
 * on, and stopped with {@code stop.sh --purge} when the run ends.
 */
public final class PrometheusServer implements BeforeAllCallback {
  private static final Path SERVICES = Path.of("..", "deploy", "services").toAbsolutePath().normalize();
  private static volatile Running running;

  /** A started Prometheus; closing it stops the process and deletes its data directory. */
  record Running(Path dir, String url) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      run(List.of("bash", SERVICES.resolve("stop.sh").toString(), dir.toString(), "--purge"), Map.of(), 60);
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    running = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(PrometheusServer.class, k -> start(), Running.class);
  }

  /** Base URL, e.g. http://127.0.0.1:40123. */
  public static String url() {
    return running.url();
  }

  private static Running start() {
    try {
      Path dir = Files.createTempDirectory("kansoku-prometheus-test");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      run(List.of("bash", SERVICES.resolve("prometheus-start.sh").toString(), dir.toString()),
          Map.of("PROMETHEUS_PORT", String.valueOf(port)), 90);
      Running r = new Running(dir, "http://127.0.0.1:" + port);
      // Also on an abrupt end of the test JVM, so no Prometheus outlives the run.
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          r.close();
        } catch (Exception e) {
          // The JVM is exiting; nothing more to do.
        }
      }));
      return r;
    } catch (Exception e) {
      throw new IllegalStateException("cannot start Prometheus with " + SERVICES.resolve("prometheus-start.sh"), e);
    }
  }

  private static void run(List<String> command, Map<String, String> env, int timeoutSeconds) throws Exception {
    Path out = Files.createTempFile("prometheus-script", ".out");
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
}
