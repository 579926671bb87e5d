package dev.kansoku.bench;

import com.linecorp.armeria.client.WebClient;
import dev.kansoku.model.OtlpToModel;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.Retention;
import dev.kansoku.store.opensearch.OpenSearchStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code opensearch-bench}: the OpenSearch store's write path alone — N dice-app spans through
 * {@code spanWriter()} from W writers into a node — then the index's bytes per span after a force
 * merge. The spans are built before the timed phase.
 */
final class OpenSearchBenchCommand {
  static final String HELP = """
      usage: opensearch-bench --url http://127.0.0.1:9200 [flags]
      Writes dice-app spans (the ADOT agent's resource, SERVER + INTERNAL spans) through the OpenSearch
      store's span writer, then prints spans/s and the index size per span after a force merge.
      The indices it writes (prefix bench-*) are deleted at the end.

        --url URL             the OpenSearch node
        --spans N             spans to write (default 200000)
        --batch N             spans per write call (default 1000; an ingester's are larger)
        --writers N           concurrent write calls (default 4)
        --refresh R           false or wait_for (default false, as ingesters write)
      """;

  static final Set<String> FLAGS = Set.of("url", "spans", "batch", "writers", "refresh");

  private OpenSearchBenchCommand() {}

  static void run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of());
    String url = flags.string("url", null);
    if (url == null) {
      throw new IllegalArgumentException("--url: required (an OpenSearch node)");
    }
    int spans = flags.integer("spans", 200_000, 1);
    int batch = flags.integer("batch", 1000, 2);
    int writers = flags.integer("writers", 4, 1);
    String refresh = flags.string("refresh", "false");

    System.out.println("machine: " + Machine.describe());
    DiceTelemetry telemetry = new DiceTelemetry(42, 8);
    List<List<SpanRecord>> batches = new ArrayList<>();
    for (int made = 0; made < spans; made += batch) {
      batches.add(OtlpToModel.spans(telemetry.traces(Math.min(batch, spans - made))).items());
    }
    try (OpenSearchStorage store = OpenSearchStorage.builder().endpoint(url).indexPrefix("bench").replicas(0)
        .refresh(refresh).build()) {
      store.open();
      store.clear();
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      long cpu0 = Cpu.process();
      long t0 = System.nanoTime();
      List<Future<?>> done = new ArrayList<>();
      for (List<SpanRecord> b : batches) {
        done.add(pool.submit(() -> store.spanWriter().write(b)));
      }
      for (Future<?> f : done) {
        f.get();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      double clientCpu = (Cpu.process() - cpu0) / 1e9;
      pool.shutdown();
      WebClient.builder(url).responseTimeout(Duration.ofMinutes(5)).build().blocking()
          .post("/bench-spans-*/_forcemerge?max_num_segments=1", "");
      Retention.StoreSize size = store.retention().size();
      System.out.printf(Locale.ROOT, "%,d spans in batches of %d from %d writers, refresh %s: %.1f s, %,.0f spans/s"
          + " (this client's CPU %.1f s)%n", spans, batch, writers, refresh, seconds, spans / seconds, clientCpu);
      System.out.printf(Locale.ROOT, "index after force merge: %,d spans, %,d bytes, %.0f bytes/span%n", size.spans(),
          size.bytes(), (double) size.bytes() / size.spans());
      store.clear();
    }
  }
}
