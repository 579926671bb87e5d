package dev.kansoku.bench;

import java.net.URI;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code loadgen}: dice-app telemetry over OTLP to an endpoint, at a rate or as fast as it answers. */
final class LoadgenCommand {
  static final String HELP = """
      usage: loadgen [flags]
      Sends telemetry shaped like the seed's dice app (service.name=dice-server, ADOT Java agent
      resource, GET /rolldice SERVER span + roll INTERNAL span, 1 in %d traces failing with an
      exception; logback records with trace/span ids; JVM and http.server.request.duration metrics)
      to an OTLP receiver, then prints accepted items/s, requests/s, errors by kind, p50/p99/max
      export latency and bytes sent. Requests are built before the timed phase.

        --protocol grpc|http-proto|http-json   transport (default grpc)
        --endpoint URL           default http://127.0.0.1:4317 (grpc) or :4318 (http-*)
        --signal traces|logs|metrics|all       default traces; all = the three in turn
        --connections N          independent connections (default 4)
        --in-flight N            concurrent requests per connection (default 1, like an SDK exporter)
        --rate N                 items/s over all connections, 0 = as fast as possible (default 0)
        --duration D             timed phase, e.g. 20s (default 10s)
        --warmup D               untimed phase before it (default 3s)
        --batch N                items per request (default 512, the SDK BatchSpanProcessor's)
        --pool N                 distinct requests per signal (default 64)
        --header k=v             extra request header, repeatable (e.g. authorization=Bearer x)
        --client-threads N       client event loop threads (default 1)
        --seed N                 random seed for ids and values (default: time)
      """.formatted(DiceTelemetry.ERROR_ONE_IN);

  static final Set<String> FLAGS = Set.of("protocol", "endpoint", "signal", "connections", "in-flight", "rate",
      "duration", "warmup", "batch", "pool", "header", "client-threads", "seed");

  private LoadgenCommand() {}

  static void run(String[] args) throws Exception {
    Flags flags = Flags.parse(args, FLAGS, Set.of("header"));
    Protocol protocol = Protocol.byFlag(flags.string("protocol", "grpc"));
    List<OtlpSignal> signals = signals(flags.string("signal", "traces"));
    LoadGenerator.Options options = new LoadGenerator.Options(protocol,
        endpoint(flags.string("endpoint", protocol.defaultEndpoint())),
        flags.integer("connections", 4, 1), flags.integer("in-flight", 1, 1), flags.integer("rate", 0, 0),
        flags.integer("client-threads", 1, 1), headers(flags.all("header")));
    Duration duration = flags.duration("duration", Duration.ofSeconds(10));
    Duration warmup = flags.duration("warmup", Duration.ofSeconds(3));
    int batch = flags.integer("batch", 512, 1);
    int poolSize = flags.integer("pool", 64, 1);
    long seed = Long.parseLong(flags.string("seed", Long.toString(System.nanoTime())));

    System.out.println("machine: " + Machine.describe());
    RequestPool pool = buildPool(signals, protocol, poolSize, batch, seed);
    try (LoadGenerator gen = new LoadGenerator(options, pool)) {
      System.out.println(describe(options, signals, batch));
      LoadReport report = runWithWarmup(gen, warmup, duration);
      report.print(System.out);
      System.out.printf(Locale.ROOT, "  load average     %.2f at the end%n", Machine.loadAverage());
    }
  }

  static RequestPool buildPool(List<OtlpSignal> signals, Protocol protocol, int poolSize, int batch, long seed) {
    long t0 = System.nanoTime();
    RequestPool pool = RequestPool.build(signals, protocol, poolSize, batch, seed);
    System.out.printf(Locale.ROOT, "pool: %d requests of %d items (%s), %s, built in %d ms%n", pool.size(), batch,
        protocol.flag(), LoadReport.mb(pool.totalBytes()), (System.nanoTime() - t0) / 1_000_000);
    return pool;
  }

  static LoadReport runWithWarmup(LoadGenerator gen, Duration warmup, Duration duration) throws InterruptedException {
    if (!warmup.isZero()) {
      LoadReport w = gen.run(warmup);
      System.out.printf(Locale.ROOT, "warm-up: %.1f s, %,d requests, %,d items accepted, errors %s%n", w.seconds(),
          w.requests(), w.totalAccepted(), w.errors().isEmpty() ? "none" : w.errors());
    }
    return gen.run(duration);
  }

  static String describe(LoadGenerator.Options o, List<OtlpSignal> signals, int batch) {
    return String.format(Locale.ROOT, "loadgen: %s -> %s, %s, %d connection(s) x %d in flight, %d items/request, rate %s",
        o.protocol().flag(), o.endpoint(), signals.stream().map(OtlpSignal::configName).toList(), o.connections(),
        o.inFlight(), batch, o.rate() == 0 ? "max" : o.rate() + " items/s");
  }

  static List<OtlpSignal> signals(String flag) {
    return flag.equals("all") ? List.of(OtlpSignal.values()) : List.of(OtlpSignal.byName(flag));
  }

  static URI endpoint(String value) {
    String v = value.contains("://") ? value : "http://" + value;
    URI uri;
    try {
      uri = URI.create(v);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--endpoint: " + value + " (expected: http://host:port)");
    }
    if (uri.getHost() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
      throw new IllegalArgumentException("--endpoint: " + value + " (expected: http://host:port or https://host:port)");
    }
    return uri;
  }

  static List<Map.Entry<String, String>> headers(List<String> values) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String v : values) {
      int eq = v.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--header: " + v + " (expected: name=value)");
      }
      out.add(new AbstractMap.SimpleImmutableEntry<>(v.substring(0, eq).trim().toLowerCase(Locale.ROOT),
          v.substring(eq + 1).trim()));
    }
    return out;
  }
}
