package dev.kansoku.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * kansoku.jar in its own JVM, as the store benchmarks run it: OTLP/gRPC on one loopback port,
 * {@code otlp → memory_limiter → kansoku} for traces and logs, the embedded store in
 * {@code <dir>/data}, the query API, AWS APIs and console on another port, its output in
 * {@code <dir>/kansoku.log}. However the benchmark's JVM ends, the child ends with it, so a
 * crashed run cannot leave a Kansoku eating the next run's CPU.
 */
final class KansokuChild implements AutoCloseable {
  final Process process;
  /** OTLP/gRPC endpoint. */
  final URI otlp;
  /** The kansoku extension's endpoint. */
  final URI api;
  final Path dataDir;

  private KansokuChild(Process process, URI otlp, URI api, Path dataDir) {
    this.process = process;
    this.otlp = otlp;
    this.api = api;
    this.dataDir = dataDir;
  }

  static KansokuChild start(Path jar, String heap, Path dir) throws IOException, InterruptedException {
    int grpc = PipelineThroughputCommand.freePort();
    int http = PipelineThroughputCommand.freePort();
    Files.createDirectories(dir);
    Path config = dir.resolve("kansoku.yaml");
    Path data = dir.resolve("data");
    Files.writeString(config, """
        extensions:
          kansoku:
            endpoint: 127.0.0.1:%d
            storage: {path: "%s"}
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "127.0.0.1:%d", max_recv_msg_size_mib: 16}
          kansoku:
        processors:
          memory_limiter: {check_interval: 1s, limit_percentage: 80, spike_limit_percentage: 25}
        exporters:
          kansoku:
        service:
          extensions: [kansoku]
          pipelines:
            traces: {receivers: [otlp], processors: [memory_limiter], exporters: [kansoku]}
            logs: {receivers: [otlp, kansoku], processors: [memory_limiter], exporters: [kansoku]}
        """.formatted(http, data, grpc));
    Path log = dir.resolve("kansoku.log");
    Process p = new ProcessBuilder("java", "-Xmx" + heap, "-jar", jar.toString(), "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
    KansokuChild child = new KansokuChild(p, URI.create("http://127.0.0.1:" + grpc),
        URI.create("http://127.0.0.1:" + http), data);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!(listening(http) && listening(grpc))) {
      if (!p.isAlive() || System.nanoTime() > deadline) {
        child.close();
        throw new IllegalStateException("kansoku did not start; its log: " + log + "\n" + Files.readString(log));
      }
      Thread.sleep(200);
    }
    return child;
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  long pid() {
    return process.pid();
  }

  /** User + system CPU time of the child, from /proc (Linux). */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
    } catch (IOException e) {
      return Double.NaN;
    }
  }

  /** "RSS N MB now, peak M MB", from /proc. */
  String memory() {
    long rss = -1;
    long hwm = -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        } else if (line.startsWith("VmHWM:")) {
          hwm = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return "RSS unknown (" + e.getMessage() + ")";
    }
    return String.format(Locale.ROOT, "RSS %,d MB now, peak %,d MB", rss, hwm);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
