package dev.kansoku.bench;

import java.util.Arrays;

/** Entry point of {@code kansoku-bench.jar}: {@code <command> [flags]}; each command prints its figures. */
public final class BenchMain {
  private BenchMain() {}

  private static final String USAGE = """
      usage: java -jar kansoku-bench.jar <command> [--help] [flags]
      commands:
        loadgen               send dice-app telemetry over OTLP to an endpoint, report accepted items/s
        parse-throughput      single-thread OTLP protobuf parse rate (items/s, MB/s)
        pipeline-throughput   in-process collector otlp -> memory_limiter -> batch -> nop under load,
                              side by side with the single-core parse rate
        translate-throughput  awsxray (spans -> segments) and awsemf (metrics -> EMF) translators, one thread
        store-bench           Kansoku with its embedded store in a child JVM: N spans and log lines in over
                              OTLP, then query latencies, bytes on disk, memory
        aws-query-bench       N spans and log lines in a Kansoku, then GetTraceSummaries and Logs Insights latency
        opensearch-bench      the OpenSearch store's span writer alone into a node: spans/s, bytes per span
        ack-check             spans with unique ids to collectors, then every acknowledged span looked up on a
                              query node: accept rate, drain time, losses (exit 1 on any)
      """;

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.print(USAGE);
      return;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "loadgen" -> LoadgenCommand.run(rest);
        case "parse-throughput" -> ParseThroughputCommand.run(rest);
        case "pipeline-throughput" -> PipelineThroughputCommand.run(rest);
        case "translate-throughput" -> TranslateThroughputCommand.run(rest);
        case "store-bench" -> StoreBenchCommand.run(rest);
        case "aws-query-bench" -> AwsQueryBenchCommand.run(rest);
        case "opensearch-bench" -> OpenSearchBenchCommand.run(rest);
        case "ack-check" -> System.exit(AckCheckCommand.run(rest));
        default -> {
          System.err.print("unknown command: " + args[0] + "\n" + USAGE);
          System.exit(2);
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(args[0] + ": " + e.getMessage());
      System.exit(2);
    }
    System.exit(0);
  }
}
