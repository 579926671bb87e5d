package dev.kansoku.model;

/**
 * Throughput of {@link TraceCorrelation#find} on 1M log lines in the seed's format, half with an
 * X-Ray id, a quarter with a W3C id, a quarter with none. A benchmark, not a test (no timing
 * assertions in unit tests): run with
 * {@code mvn -q -B -o test-compile -pl kansoku-model -am && java -cp "$(cat /tmp/cp.txt):kansoku-model/target/classes:kansoku-model/target/test-classes" dev.kansoku.model.TraceCorrelationBench}
 * after {@code mvn -q -o dependency:build-classpath -pl kansoku-model -Dmdep.outputFile=/tmp/cp.txt}.
 */
public final class TraceCorrelationBench {
  public static void main(String[] args) {
    int n = 1_000_000;
    String[] lines = new String[n];
    for (int i = 0; i < n; i++) {
      String hex = String.format("%08x%024x", 0x655415c5 + i / 1000, (long) i * 7919);
      lines[i] = switch (i % 4) {
        case 0, 1 -> "00:50:13.242 trace_id=1-" + hex.substring(0, 8) + "-" + hex.substring(8)
            + "@ed4719643c9748b6 span_id=ed4719643c9748b6 trace_flags=01 GET \"/rolldice\", parameters={}";
        case 2 -> "{\"level\":\"INFO\",\"traceId\":\"" + hex + "\",\"msg\":\"Completed 200 OK\"}";
        default -> "00:50:13.250 Anonymous player is rolling the dice: 4 (no trace context on this thread)";
      };
    }
    for (int round = 0; round < 5; round++) {
      long t0 = System.nanoTime();
      int found = 0;
      for (String line : lines) {
        if (TraceCorrelation.find(line) != null) {
          found++;
        }
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("round %d: %d lines in %d ms (%.0f lines/s), %d with a trace id%n", round, n, ms,
          n * 1000.0 / Math.max(1, ms), found);
    }
  }
}
