package dev.kansoku.bench;

import dev.kansoku.server.Kansoku;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code pipeline-throughput}: Kansoku's collector in this JVM ({@code otlp → memory_limiter → batch
 * → nop}), loaded over gRPC by the load generator, next to the rate at which one core merely parses
 * the same requests. The ratio says how much of a core's parse ceiling the whole pipeline keeps
 * while the client shares the machine.
 */
final class PipelineThroughputCommand {
  static final String HELP = """
      usage: pipeline-throughput [flags]
      1. Measures the single-thread parse rate of the pooled requests (as parse-throughput).
      2. Starts Kansoku in this JVM with otlp (gRPC + HTTP on loopback, free ports) ->
         memory_limiter -> batch -> nop for traces, metrics and logs.
      3. Runs the load generator against it over gRPC (after a warm-up).
      4. Measures the parse rate again, then prints, side by side, the pipeline's accepted items/s,
         the parse rate (mean of steps 1 and 4), their ratio (target >= 0.5), latency, errors and
         CPU use. Client and server share this JVM and the machine's cores.

        --signal traces|logs|metrics   default traces
        --connections N       default 4
        --in-flight N         requests in flight per connection (default 1)
        --batch N             items per request (default 512)
        --pool N              distinct requests (default 64)
        --duration D          timed load (default 20s)
        --warmup D            untimed load before it (default 20s: the JIT is still busy after 5 s)
        --parse-duration D    timed parse (default 10s), after at least --parse-warmup (default 5s)
        --parse-warmup D
        --client-threads N    client event loop threads (default 1)
        --seed N              the request pool's random seed (default 1: every run parses and
                              sends the same requests, so runs compare)
        --processors seed|adot  seed: memory_limiter -> batch (default); adot: memory_limiter ->
                              resourcedetection -> resource -> attributes -> filter -> batch:
                              resourcedetection as ADOT's resourcedetection/ec2 ({detectors: [env],
                              timeout: 2s, override: false}; it merges what OTEL_RESOURCE_ATTRIBUTES
                              holds when the command starts, so set it to measure a merge), the
                              resource processor renaming ECS attributes with insert from_attribute +
                              delete pairs as ADOT's ECS configurations do, the attributes processor
                              upserting, hashing and deleting an attribute on every span, log record
                              and data point, the filter keeping metrics by strict names as ADOT's
                              container-insights configuration does (spans and logs pass)
        --config FILE         collector YAML to run instead of the built-in one; its otlp
                              grpc endpoint must be 127.0.0.1:4317 or given with --endpoint
        --endpoint URL        where the load goes when --config is given
      """;

  static final Set<String> FLAGS = Set.of("signal", "connections", "in-flight", "batch", "pool", "duration",
      "warmup", "parse-duration", "parse-warmup", "client-threads", "processors", "config", "endpoint", "seed");

  /**
   * The benchmark's collector: the seed's pipeline with the nop exporter; %1$d and %2$d are the two
   * ports, %3$s more processors, %4$s their names in each pipeline.
   */
  static final String CONFIG = """
      receivers:
        otlp:
          protocols:
            grpc:
              endpoint: 127.0.0.1:%1$d
              max_recv_msg_size_mib: 16
            http:
              endpoint: 127.0.0.1:%2$d
      processors:
        memory_limiter:
          check_interval: 1s
          limit_percentage: 80
          spike_limit_percentage: 25
        batch:
      %3$sexporters:
        nop:
      service:
        pipelines:
          traces:
            receivers: [otlp]
            processors: [memory_limiter, %4$sbatch]
            exporters: [nop]
          metrics:
            receivers: [otlp]
            processors: [memory_limiter, %4$sbatch]
            exporters: [nop]
          logs:
            receivers: [otlp]
            processors: [memory_limiter, %4$sbatch]
            exporters: [nop]
      """;

  /** ECS task attributes and the CloudWatch dimension names ADOT's ECS configurations rename them to. */
  private static final String[][] ECS_RENAMES = {
      {"ClusterName", "aws.ecs.cluster.name"}, {"ServiceName", "aws.ecs.service.name"}, {"TaskId", "aws.ecs.task.id"},
      {"TaskDefinitionFamily", "aws.ecs.task.family"}, {"TaskARN", "aws.ecs.task.arn"},
      {"TaskDefinitionRevision", "aws.ecs.task.revision"}, {"LaunchType", "aws.ecs.launchtype"},
      {"AvailabilityZone", "cloud.availability_zone"}, {"Region", "cloud.region"}, {"AccountId", "cloud.account.id"},
      {"DockerId", "container.id"}, {"ContainerName", "container.name"}, {"Image", "container.image.name"},
      {"ImageTag", "container.image.tag"}, {"ExitCode", "aws.ecs.container.exit_code"},
      {"CreatedAt", "aws.ecs.container.created_at"}, {"StartedAt", "aws.ecs.container.started_at"},
      {"FinishedAt", "aws.ecs.container.finished_at"}, {"PullStartedAt", "aws.ecs.task.pull_started_at"},
      {"PullStoppedAt", "aws.ecs.task.pull_stopped_at"}, {"DockerName", "aws.ecs.docker.name"}};

  /**
   * The metrics the filter keeps: the ECS task metrics ADOT's container-insights configuration
   * lists, plus five of the dice app's eleven (so the filter both drops and rebuilds, and the rest goes on).
   */
  static final List<String> KEPT_METRICS = List.of("ecs.task.memory.reserved", "ecs.task.memory.utilized",
      "ecs.task.cpu.reserved", "ecs.task.cpu.utilized", "ecs.task.network.rate.rx", "ecs.task.network.rate.tx",
      "ecs.task.storage.read_bytes", "ecs.task.storage.write_bytes", "container.duration",
      "http.server.request.duration", "jvm.memory.used", "jvm.gc.duration", "jvm.cpu.recent_utilization",
      "jvm.thread.count");

  /**
   * {@code resourcedetection}, {@code resource} and {@code attributes} as ADOT's ECS configurations use
   * the first two, and {@code filter} as its container-insights configuration does, indented for CONFIG.
   */
  static String adotProcessors() {
    StringBuilder yaml = new StringBuilder("  resourcedetection:\n    detectors: [env]\n    timeout: 2s\n"
        + "    override: false\n  resource:\n    attributes:\n");
    for (String[] r : ECS_RENAMES) {
      yaml.append("      - {key: ").append(r[0]).append(", from_attribute: ").append(r[1]).append(", action: insert}\n")
          .append("      - {key: ").append(r[1]).append(", action: delete}\n");
    }
    return yaml.append("""
          attributes:
            actions:
              - {key: deployment.environment, value: production, action: upsert}
              - {key: user_agent.original, action: hash}
              - {key: thread.name, action: delete}
          filter:
            metrics:
              include:
                match_type: strict
                metric_names: [%s]
        """.formatted(String.join(", ", KEPT_METRICS))).toString();
  }

  /** What the env detector will find, for the header line. */
  private static String envAttributes() {
    String v = System.getenv("OTEL_RESOURCE_ATTRIBUTES");
    return v == null || v.isBlank() ? "OTEL_RESOURCE_ATTRIBUTES unset, nothing to merge" : v.strip();
  }

  private PipelineThroughputCommand() {}

  @SuppressWarnings("try") // the running collector is only closed, never referenced
  static void run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    OtlpSignal signal = OtlpSignal.byName(flags.string("signal", "traces"));
    int connections = flags.integer("connections", 4, 1);
    int inFlight = flags.integer("in-flight", 1, 1);
    int batch = flags.integer("batch", 512, 1);
    int poolSize = flags.integer("pool", 64, 1);
    Duration duration = flags.duration("duration", Duration.ofSeconds(20));
    // Armeria's and the pipeline's code paths are still being compiled well after 5 s on 2 busy cores.
    Duration warmup = flags.duration("warmup", Duration.ofSeconds(20));
    Duration parseDuration = flags.duration("parse-duration", Duration.ofSeconds(10));
    Duration parseWarmup = flags.duration("parse-warmup", Duration.ofSeconds(5));
    int clientThreads = flags.integer("client-threads", 1, 1);
    String configFile = flags.string("config", null);
    String processors = flags.string("processors", "seed");
    if (!processors.equals("seed") && !processors.equals("adot")) {
      throw new IllegalArgumentException("--processors: \"" + processors + "\" (expected seed or adot)");
    }
    boolean adot = processors.equals("adot");

    System.out.println("machine: " + Machine.describe());
    long seed = Long.parseLong(flags.string("seed", "1"));
    RequestPool pool = LoadgenCommand.buildPool(List.of(signal), Protocol.GRPC, poolSize, batch, seed);

    System.out.printf(Locale.ROOT, "1. single-thread parse (%s warm-up, %s timed) ...%n", seconds(parseWarmup),
        seconds(parseDuration));
    ParseThroughputCommand.Result parse = ParseThroughputCommand.measure(pool, parseWarmup, parseDuration);
    parse.print("   ");

    String config;
    URI endpoint;
    if (configFile == null) {
      int grpcPort = freePort();
      config = "yaml:" + CONFIG.formatted(grpcPort, freePort(), adot ? adotProcessors() : "",
          adot ? "resourcedetection, resource, attributes, filter, " : "");
      endpoint = URI.create("http://127.0.0.1:" + grpcPort);
    } else {
      config = configFile;
      endpoint = LoadgenCommand.endpoint(flags.string("endpoint", Protocol.GRPC.defaultEndpoint()));
      System.out.println("   config: " + Files.readString(Path.of(configFile), StandardCharsets.UTF_8).length()
          + " chars from " + configFile);
    }
    System.out.printf(Locale.ROOT, "2. Kansoku in-process: otlp -> memory_limiter -> %sbatch -> nop, gRPC on %s%n",
        adot ? "resourcedetection (env: " + envAttributes() + ") -> resource (" + ECS_RENAMES.length * 2
            + " actions) -> attributes (3 actions) -> filter (" + KEPT_METRICS.size() + " metric names) -> " : "",
        endpoint);
    LoadGenerator.Options options = new LoadGenerator.Options(Protocol.GRPC, endpoint, connections, inFlight, 0,
        clientThreads, List.of());
    LoadReport load;
    try (Kansoku kansoku = Kansoku.start(List.of(config), System::getenv);
        LoadGenerator gen = new LoadGenerator(options, pool)) {
      System.out.printf(Locale.ROOT, "3. %s (%s warm-up, %s timed)%n", LoadgenCommand.describe(options,
          List.of(signal), batch), seconds(warmup), seconds(duration));
      load = LoadgenCommand.runWithWarmup(gen, warmup, duration);
      load.print(System.out);
    }

    // This machine's speed drifts by tens of percent within minutes (shared host): the baseline is
    // measured on both sides of the load and averaged, and the spread is printed.
    System.out.printf(Locale.ROOT, "4. single-thread parse again (%s warm-up, %s timed) ...%n", seconds(parseWarmup),
        seconds(parseDuration));
    ParseThroughputCommand.Result parseAfter = ParseThroughputCommand.measure(pool, parseWarmup, parseDuration);
    parseAfter.print("   ");
    double parseRate = (parse.itemsPerSecond() + parseAfter.itemsPerSecond()) / 2;

    double pipeline = load.acceptedPerSecond(signal);
    double ratio = pipeline / parseRate;
    String unit = signal.itemName() + "/s";
    System.out.println();
    System.out.printf(Locale.ROOT, "result (%s, processors %s, gRPC, %d connections x %d in flight, %d %s/request;"
        + " client and server share this JVM and %d cores)%n", signal.configName(), processors, connections, inFlight,
        batch, signal.itemName(), Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "  %-34s %,14.0f %s   (before %,.0f, after %,.0f)%n",
        "single-core parse rate (per CPU-s)", parseRate, unit, parse.itemsPerSecond(), parseAfter.itemsPerSecond());
    System.out.printf(Locale.ROOT, "  %-34s %,14.0f %s%n", "pipeline accepted", pipeline, unit);
    System.out.printf(Locale.ROOT, "  %-34s %14.2f   (target >= 0.50: %s)%n", "ratio pipeline / parse", ratio,
        ratio >= 0.5 ? "met" : "NOT met");
    // The collector's own CPU (JVM minus client threads): what it costs per item, whatever else runs on the machine.
    double serverCores = (load.processCpuNanos() - load.clientCpuNanos()) / 1e9 / load.seconds();
    if (serverCores > 0) {
      System.out.printf(Locale.ROOT, "  %-34s %,14.0f %s   (%.2f of the parse rate)%n", "pipeline per server CPU-second",
          pipeline / serverCores, signal.itemName(), pipeline / serverCores / parseRate);
    }
    System.out.printf(Locale.ROOT, "  %-34s %s / %s / %s%n", "export latency p50 / p99 / max",
        LoadReport.ms(load.latency().percentile(50)), LoadReport.ms(load.latency().percentile(99)),
        LoadReport.ms(load.latency().max()));
    System.out.printf(Locale.ROOT, "  %-34s %s%n", "errors", load.errors().isEmpty() ? "none" : load.errors());
    System.out.printf(Locale.ROOT, "  %-34s client %.2f, server (rest of JVM) %.2f%n", "CPU cores used",
        load.clientCpuNanos() / 1e9 / load.seconds(), serverCores);
    System.out.printf(Locale.ROOT, "  %-34s %.2f at the end%n", "load average", Machine.loadAverage());
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.0f s", d.toMillis() / 1000.0);
  }

  /** A port free right now on loopback (the receiver binds it a moment later). */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
