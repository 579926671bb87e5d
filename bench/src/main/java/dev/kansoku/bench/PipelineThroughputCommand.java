package dev.kansoku.bench;

/** {@code pipeline-throughput}: placeholder until the OTLP receiver and server wiring are on main. */
final class PipelineThroughputCommand {
  private PipelineThroughputCommand() {}

  static void run(String[] args) {
    throw new IllegalArgumentException("not available yet: needs the otlp receiver (kansoku-server)");
  }
}
