package dev.kansoku.store.opensearch;

import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.Retention;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The sizing figures of the README: bulk throughput and index bytes per span. Not a test (it takes
 * a minute and wants a node to itself); run it against a node started with opensearch-start.sh:
 * <pre>
 * java -cp "$(cat cp.txt):target/classes:target/test-classes" dev.kansoku.store.opensearch.OpenSearchThroughput \
 *   http://127.0.0.1:9200 100000 wait_for 4
 * </pre>
 * Spans look like the seed's dice app: a server span and two children per trace, a dozen attributes.
 */
public final class OpenSearchThroughput {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int spans = Integer.parseInt(args[1]);
    String refresh = args[2];
    int writers = Integer.parseInt(args[3]);
    String prefix = "throughput-" + refresh.replace('_', '-');
    try (OpenSearchStorage s = OpenSearchStorage.builder().endpoint(url).indexPrefix(prefix).replicas(0)
        .refresh(refresh).build()) {
      s.open();
      s.clear();
      long t0 = System.nanoTime();
      long base = 1_700_000_000_000_000_000L;
      int batch = 1000;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      List<Future<?>> done = new ArrayList<>();
      for (int from = 0; from < spans; from += batch) {
        int start = from;
        done.add(pool.submit(() -> {
          List<SpanRecord> b = new ArrayList<>(batch);
          for (int i = start; i < Math.min(spans, start + batch); i++) {
            b.add(span(i, base + i * 1_000_000L));
          }
          s.spanWriter().write(b);
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
      pool.shutdown();
      double seconds = (System.nanoTime() - t0) / 1e9;
      s.retention().size(); // refreshes
      OpenSearchClient c = new OpenSearchClient(List.of(java.net.URI.create(url)), new OpenSearchClient.Auth.None(),
          false, null, java.time.Duration.ofMinutes(5));
      c.post("/" + prefix + "-spans-*/_forcemerge?max_num_segments=1", new byte[0]);
      Retention.StoreSize size = s.retention().size();
      System.out.printf("%d spans, refresh=%s, %d writers: %.1f s, %.0f spans/s; %d bytes in the index after force"
          + " merge, %.0f bytes/span%n", size.spans(), refresh, writers, seconds, spans / seconds, size.bytes(),
          (double) size.bytes() / size.spans());
      s.clear();
      c.close();
    }
  }

  private static SpanRecord span(int i, long start) {
    int trace = i / 3;
    int role = i % 3;
    SpanRecord.Builder b = SpanRecord.builder().traceId(new TraceId(0x6554_15c5_0000_0000L | trace, 0xd1ce_0000L + trace))
        .spanId(new SpanId(i + 1L)).serviceName(role == 2 ? "dice-store" : "dice-server")
        .startNanos(start).endNanos(start + (role == 0 ? 250_000_000L : 40_000_000L))
        .resourceAttributes(Map.of("service.name", role == 2 ? "dice-store" : "dice-server",
            "telemetry.sdk.language", "java", "telemetry.sdk.version", "1.68.0", "host.name", "ip-10-0-1-23",
            "cloud.provider", "aws", "cloud.region", "us-west-2"));
    if (role == 0) {
      b.name("GET /rolldice").kind(SpanKind.SERVER).attributes(Map.of("http.request.method", "GET",
          "url.path", "/rolldice", "http.response.status_code", 200L, "http.route", "/rolldice",
          "user_agent.original", "curl/8.5.0", "client.address", "10.0.1." + (trace % 250)));
    } else {
      b.name(role == 1 ? "roll" : "SELECT dice").kind(role == 1 ? SpanKind.INTERNAL : SpanKind.CLIENT)
          .parentSpanId(new SpanId(i + 1L - role)).attributes(Map.of("dice.sides", 6L, "dice.value",
              (long) (1 + trace % 6), "thread.name", "http-nio-8080-exec-" + (trace % 10)));
    }
    return b.build();
  }
}
