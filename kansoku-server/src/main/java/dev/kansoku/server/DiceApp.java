package dev.kansoku.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The seed article's dice service ({@code examples/dice}) in a child JVM under a Java agent, wired as
 * the seed's Dockerfile wires it: the agent and logging config in {@code JAVA_TOOL_OPTIONS},
 * {@code OTEL_RESOURCE_ATTRIBUTES=service.name=dice-server}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}. Its
 * standard output (the log lines with trace ids) goes to a file, as a container's goes to its log driver.
 */
final class DiceApp implements AutoCloseable {
  /** The two agents examples/dice fetches, with the protocol and log pattern each is run with. */
  enum Agent {
    /** ADOT 1.31.0 (the seed's): OTLP gRPC, X-Ray ids in the log lines. */
    ADOT("aws-opentelemetry-agent.jar", "grpc", "classpath:logback.xml"),
    /** OpenTelemetry 2.x: OTLP HTTP (its default), W3C ids in the log lines. */
    OTEL("opentelemetry-javaagent.jar", "http/protobuf", "classpath:logback-w3c.xml");

    final String jar;
    final String protocol;
    final String logbackConfig;

    Agent(String jar, String protocol, String logbackConfig) {
      this.jar = jar;
      this.protocol = protocol;
      this.logbackConfig = logbackConfig;
    }
  }

  final Process process;
  final Path stdout;

  private DiceApp(Process process, Path stdout) {
    this.process = process;
    this.stdout = stdout;
  }

  /** Where {@code mvn -f examples/dice/pom.xml package} leaves the app jar and the agents. */
  static boolean isBuilt(Path target) {
    return Files.isRegularFile(target.resolve("dice.jar"))
        && Files.isRegularFile(target.resolve("agents").resolve(Agent.ADOT.jar))
        && Files.isRegularFile(target.resolve("agents").resolve(Agent.OTEL.jar));
  }

  /**
   * @param target examples/dice/target
   * @param otlpEndpoint base URL of the OTLP receiver for the agent's protocol (gRPC or HTTP port)
   * @param env more agent settings (export intervals, OTEL_LOGS_EXPORTER)
   */
  static DiceApp start(Path target, Agent agent, int port, String otlpEndpoint, Map<String, String> env, Path stdout)
      throws IOException {
    Path agentJar = target.resolve("agents").resolve(agent.jar).toAbsolutePath();
    ProcessBuilder pb = new ProcessBuilder(List.of(
        System.getProperty("java.home") + File.separator + "bin" + File.separator + "java", "-Xmx256m",
        "-jar", target.resolve("dice.jar").toAbsolutePath().toString(), "--server.port=" + port,
        "--server.address=127.0.0.1"));
    pb.environment().put("JAVA_TOOL_OPTIONS", "-javaagent:" + agentJar + " -Dlogging.config=" + agent.logbackConfig);
    pb.environment().put("OTEL_RESOURCE_ATTRIBUTES", "service.name=dice-server");
    pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
    pb.environment().put("OTEL_EXPORTER_OTLP_PROTOCOL", agent.protocol);
    pb.environment().putAll(env);
    Files.createDirectories(stdout.toAbsolutePath().getParent());
    pb.redirectOutput(stdout.toFile()).redirectError(stdout.resolveSibling(stdout.getFileName() + ".err").toFile());
    return new DiceApp(pb.start(), stdout);
  }

  /** Waits for Spring Boot's "Started" line; fails with the output's tail when the app dies or is slow. */
  void awaitStarted(long timeoutSeconds) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (System.nanoTime() < deadline) {
      if (Files.exists(stdout) && Files.readString(stdout).contains("Started DiceApplication")) {
        return;
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(200);
    }
    Path err = stdout.resolveSibling(stdout.getFileName() + ".err");
    throw new IOException("the dice app did not start within " + timeoutSeconds + " s (exit: "
        + (process.isAlive() ? "still running" : process.exitValue()) + "); its stderr:\n"
        + (Files.exists(err) ? tail(Files.readString(err)) : ""));
  }

  private static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }

  /** SIGTERM, so the agent flushes what it holds; forcibly after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
