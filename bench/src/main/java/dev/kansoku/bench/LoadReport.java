package dev.kansoku.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of one load run; items are indexed by {@link OtlpSignal#ordinal()}. Client CPU is the
 * sending threads plus the client's event loops; process CPU includes an in-process server.
 */
record LoadReport(long elapsedNanos, long requests, long failedRequests, long bytesSent, long[] sentItems,
    long[] acceptedItems, long[] rejectedItems, Map<String, Long> errors, LatencyHistogram latency,
    long clientCpuNanos, long processCpuNanos) {

  double seconds() {
    return elapsedNanos / 1e9;
  }

  long accepted(OtlpSignal s) {
    return acceptedItems[s.ordinal()];
  }

  double acceptedPerSecond(OtlpSignal s) {
    return accepted(s) / seconds();
  }

  long totalAccepted() {
    long n = 0;
    for (long a : acceptedItems) {
      n += a;
    }
    return n;
  }

  void print(PrintStream out) {
    double secs = seconds();
    out.printf(Locale.ROOT, "  elapsed          %.1f s%n", secs);
    out.printf(Locale.ROOT, "  requests         %,d (%,.1f/s), %,d failed%n", requests, requests / secs, failedRequests);
    for (OtlpSignal s : OtlpSignal.values()) {
      int i = s.ordinal();
      if (sentItems[i] == 0) {
        continue;
      }
      out.printf(Locale.ROOT, "  accepted %-12s %,d (%,.0f/s) of %,d sent, %,d rejected%n", s.itemName(),
          acceptedItems[i], acceptedItems[i] / secs, sentItems[i], rejectedItems[i]);
    }
    out.printf(Locale.ROOT, "  bytes sent       %s (%s/s), %,d bytes/request (request bodies only)%n",
        mb(bytesSent), mb((long) (bytesSent / secs)), requests == 0 ? 0 : bytesSent / requests);
    out.printf(Locale.ROOT, "  export latency   p50 %s  p99 %s  max %s  (%,d requests)%n",
        ms(latency.percentile(50)), ms(latency.percentile(99)), ms(latency.max()), latency.count());
    out.printf("  errors           %s%n", errors.isEmpty() ? "none" : errors.toString());
    out.printf(Locale.ROOT, "  CPU              client %.2f cores, whole JVM %.2f cores (CPU s per s)%n",
        clientCpuNanos / (double) elapsedNanos, processCpuNanos / (double) elapsedNanos);
  }

  static String ms(long micros) {
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }

  static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }
}
