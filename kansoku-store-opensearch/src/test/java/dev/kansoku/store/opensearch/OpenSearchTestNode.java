package dev.kansoku.store.opensearch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real single OpenSearch node for tests, started with the project's own
 * {@code deploy/services/opensearch-start.sh} on free loopback ports in a temporary directory, and
 * stopped with {@code stop.sh --purge} on {@link #close()} or, if the test JVM dies first, by a
 * shutdown hook. One node per JVM ({@link #shared()}); tests isolate themselves by index prefix.
 */
public final class OpenSearchTestNode implements AutoCloseable {
  private static final String VERSION = "2.19.6";
  private static OpenSearchTestNode shared;

  private final Path services;
  private final Path dataDir;
  private final int httpPort;
  private final Thread hook;
  private boolean stopped;

  /** The JVM's node, started on first use. */
  public static synchronized OpenSearchTestNode shared() {
    if (shared == null) {
      shared = new OpenSearchTestNode();
    }
    return shared;
  }

  private OpenSearchTestNode() {
    services = findServices();
    try {
      dataDir = Files.createTempDirectory("kansoku-opensearch-test");
      httpPort = freePort();
      int transportPort = freePort();
      // The script resolves the node's jars with Maven per data directory; reuse the list across runs.
      Path cachedClasspath = Path.of(System.getProperty("java.io.tmpdir"), "kansoku-opensearch-classpath-" + VERSION
          + ".txt");
      Path classpath = dataDir.resolve("classpath-" + VERSION + ".txt");
      if (Files.isRegularFile(cachedClasspath) && Files.size(cachedClasspath) > 0
          && classpathStillThere(cachedClasspath)) {
        Files.copy(cachedClasspath, classpath, StandardCopyOption.REPLACE_EXISTING);
      }
      hook = new Thread(this::stop, "opensearch-test-node-stop");
      Runtime.getRuntime().addShutdownHook(hook);
      run(List.of("bash", services.resolve("opensearch-start.sh").toString(), dataDir.toString()),
          Map.of("OPENSEARCH_HTTP_PORT", Integer.toString(httpPort), "OPENSEARCH_TRANSPORT_PORT",
              Integer.toString(transportPort), "OPENSEARCH_VERSION", VERSION), 180);
      if (Files.isRegularFile(classpath)) {
        Files.copy(classpath, cachedClasspath, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean classpathStillThere(Path file) throws IOException {
    for (String jar : Files.readString(file).trim().split(java.io.File.pathSeparator)) {
      if (!jar.isEmpty() && !Files.isRegularFile(Path.of(jar))) {
        return false;
      }
    }
    return true;
  }

  public String url() {
    return "http://127.0.0.1:" + httpPort;
  }

  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down; the hook runs stop(), which is idempotent
    }
  }

  private synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    run(List.of("bash", services.resolve("stop.sh").toString(), dataDir.toString(), "--purge"), Map.of(), 90);
  }

  private static void run(List<String> command, Map<String, String> env, int timeoutSeconds) {
    try {
      Path log = Files.createTempFile("kansoku-opensearch-script", ".log");
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + ": no answer after " + timeoutSeconds + " s");
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Files.deleteIfExists(log);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }

  private static Path findServices() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path s = dir.resolve("deploy/services");
      if (Files.isRegularFile(s.resolve("opensearch-start.sh"))) {
        return s;
      }
    }
    throw new IllegalStateException("deploy/services/opensearch-start.sh not found above " + Path.of("").toAbsolutePath());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
