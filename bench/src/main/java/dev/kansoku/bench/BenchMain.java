package dev.kansoku.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Entry point of {@code kansoku-bench.jar}: {@code <command> [flags]}; each command prints its figures. */
public final class BenchMain {
  private BenchMain() {}

  private static final String USAGE = """
      usage: java -jar kansoku-bench.jar <command> [--help] [flags]
      commands:
        loadgen               send dice-app telemetry over OTLP to an endpoint, report accepted items/s
        parse-throughput      single-thread OTLP protobuf parse rate (items/s, MB/s)
        prometheus-parse      single-thread Prometheus text/OpenMetrics parse rate (samples/s, MB/s)
        pipeline-throughput   in-process collector otlp -> memory_limiter -> batch -> nop under load,
                              side by side with the single-core parse rate
        translate-throughput  awsxray (spans -> segments) and awsemf (metrics -> EMF) translators, one thread
        prometheus-remote-write  metrics -> remote write bodies (translate, encode, snappy), one thread
        store-bench           Kansoku with its embedded store in a child JVM: N spans and log lines in over
                              OTLP, then query latencies, bytes on disk, memory
        aws-query-bench       N spans and log lines in a Kansoku, then GetTraceSummaries and Logs Insights latency
        opensearch-bench      the OpenSearch store's span writer alone into a node: spans/s, bytes per span
        ack-check             spans with unique ids to collectors, then every acknowledged span looked up on a
                              query node: accept rate, drain time, losses (exit 1 on any)
      """;

  /** What a command runs. */
  @FunctionalInterface
  private interface Run {
    void run(String[] args) throws Exception;
  }

  /** A command's --help text and what it runs. */
  private record Command(String help, Run run) {}

  private static final Map<String, Command> COMMANDS = Map.of(
      "loadgen", new Command(LoadgenCommand.HELP, LoadgenCommand::run),
      "parse-throughput", new Command(ParseThroughputCommand.HELP, ParseThroughputCommand::run),
      "prometheus-parse", new Command(PrometheusParseCommand.HELP, PrometheusParseCommand::run),
      "pipeline-throughput", new Command(PipelineThroughputCommand.HELP, PipelineThroughputCommand::run),
      "translate-throughput", new Command(TranslateThroughputCommand.HELP, TranslateThroughputCommand::run),
      "prometheus-remote-write", new Command(PrometheusRemoteWriteCommand.HELP, PrometheusRemoteWriteCommand::run),
      "store-bench", new Command(StoreBenchCommand.HELP, StoreBenchCommand::run),
      "aws-query-bench", new Command(AwsQueryBenchCommand.HELP, AwsQueryBenchCommand::run),
      "opensearch-bench", new Command(OpenSearchBenchCommand.HELP, OpenSearchBenchCommand::run),
      "ack-check", new Command(AckCheckCommand.HELP, args -> System.exit(AckCheckCommand.run(args))));

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return;
    }
    Command command = COMMANDS.get(args[0]);
    if (command == null) {
      System.err.print("unknown command: " + args[0] + "\n" + USAGE);
      System.exit(2);
    }
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    // Every command's --help is handled here, before its flags are parsed.
    if (rest.contains("--help") || rest.contains("-h")) {
      System.out.print(command.help());
      return;
    }
    try {
      command.run().run(rest.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      System.err.println(args[0] + ": " + e.getMessage());
      System.exit(2);
    }
    System.exit(0);
  }
}
