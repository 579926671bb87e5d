package dev.kansoku.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.ship.Ship;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code kansoku demo}: the seed article on one machine. Kansoku with its built-in pipeline and an
 * embedded store, the dice app under a Java agent, its standard output shipped to log group
 * {@code /ecs/dice} as the seed's {@code awslogs} driver ships it, and a load loop in place of the
 * seed's {@code curl} loop, with some slow and some failing rolls so there are outliers and errors to
 * look at. Ctrl-C stops the load, then the app (its agent flushes), then the shipper, then Kansoku.
 */
final class Demo {
  static final String USAGE = String.join("\n",
      "Usage: kansoku demo [--rate N] [--agent adot|otel] [--port-offset N] [--data DIR] [--dice-dir DIR]",
      "  --rate N        rolls per second (default 2; 0.1 is the seed's one every 10 s)",
      "  --agent A       adot: the ADOT Java agent 1.31.0, as in the seed (default); otel: OpenTelemetry 2.x",
      "  --port-offset N added to every port, to run beside another Kansoku (default 0: OTLP on",
      "                  localhost:4317 and :4318, console and APIs on localhost:4600, the dice app on 8080)",
      "  --data DIR      Kansoku's store for the demo (default ./demo-data)",
      "  --dice-dir DIR  where examples/dice was built (default examples/dice/target; ./kansoku demo builds it)");
  private static final double SLOW = 0.12;
  private static final double FAILING = 0.06;
  private static final List<String> PLAYERS = List.of("alice", "bob", "carol", "dave", "", "");

  private Demo() {}

  static int run(List<String> args, PrintStream out, PrintStream err) {
    double rate = 2;
    DiceApp.Agent agent = DiceApp.Agent.ADOT;
    int offset = 0;
    Path data = Path.of("demo-data");
    Path dice = Path.of("examples/dice/target");
    try {
      for (int i = 0; i < args.size(); i++) {
        String a = args.get(i);
        if (a.equals("--help") || a.equals("-h")) {
          out.println(USAGE);
          return 0;
        }
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(a.startsWith("--") ? a + " needs a value" : "unknown argument \"" + a + "\"");
        }
        String v = args.get(++i);
        switch (a) {
          case "--rate" -> rate = rate(v);
          case "--agent" -> agent = agent(v);
          case "--port-offset" -> offset = offset(v);
          case "--data" -> data = Path.of(v);
          case "--dice-dir" -> dice = Path.of(v);
          default -> throw new IllegalArgumentException("unknown argument \"" + a + "\"");
        }
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage() + "\n\n" + USAGE);
      return 2;
    }
    if (!DiceApp.isBuilt(dice)) {
      err.println("The dice app is not built in " + dice.toAbsolutePath() + ": run ./kansoku demo from the"
          + " repository (it builds it), or mvn -f examples/dice/pom.xml package");
      return 1;
    }
    try {
      return demo(rate, agent, offset, data, dice, out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static int demo(double rate, DiceApp.Agent agent, int offset, Path data, Path dice, PrintStream out,
      PrintStream err) throws InterruptedException {
    int grpcPort = 4317 + offset;
    int httpPort = 4318 + offset;
    int apiPort = 4600 + offset;
    int appPort = 8080 + offset;
    String console = "http://localhost:" + apiPort;
    Kansoku kansoku;
    try {
      Files.createDirectories(data);
      // The built-in configuration, with the demo's store and ports merged over it.
      String overrides = new ObjectMapper().writeValueAsString(Map.of(
          "extensions", Map.of("kansoku", Map.of("endpoint", "localhost:" + apiPort,
              "storage", Map.of("path", data.toAbsolutePath().toString()))),
          "receivers", Map.of("otlp", Map.of("protocols", Map.of(
              "grpc", Map.of("endpoint", "localhost:" + grpcPort), "http", Map.of("endpoint", "localhost:" + httpPort))))));
      kansoku = Kansoku.start(List.of(ConfigSelection.DEFAULT, "yaml:" + overrides), System::getenv);
    } catch (Exception e) {
      err.println("Kansoku could not start: " + e.getMessage());
      return 1;
    }
    DiceApp app = null;
    AutoCloseable shipper = null;
    ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "demo-load"));
    CountDownLatch stopping = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    try {
      out.println("Starting the dice app under the " + agent.name().toLowerCase(Locale.ROOT) + " agent...");
      String otlp = "http://127.0.0.1:" + (agent == DiceApp.Agent.ADOT ? grpcPort : httpPort);
      // Logs travel as in the seed: stdout -> log shipper -> CloudWatch Logs API; not also over OTLP.
      app = DiceApp.start(dice, agent, appPort, otlp,
          Map.of("OTEL_LOGS_EXPORTER", "none", "OTEL_METRIC_EXPORT_INTERVAL", "10000"), data.resolve("dice.out"));
      app.awaitStarted(180);
      shipper = Ship.follow(data.resolve("dice.out"), URI.create(console), "/ecs/dice", "ecs/dice/" + app.process.pid());
    } catch (Exception e) {
      err.println("The demo could not start: " + e.getMessage());
      stop(load, app, shipper, kansoku);
      return 1;
    }
    Counts counts = new Counts();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    String base = "http://127.0.0.1:" + appPort + "/rolldice";
    load.scheduleAtFixedRate(() -> roll(http, base, counts), 0, Math.round(1_000_000 / rate), TimeUnit.MICROSECONDS);
    load.scheduleAtFixedRate(() -> out.println(counts), 30, 30, TimeUnit.SECONDS);

    out.println(String.join("\n",
        "",
        "Kansoku demo: the seed article's dice service, on this machine.",
        "  console    " + console + "/",
        "  dice app   " + base + " (service dice-server, " + agent.jar + ")",
        "  load       " + rate + " rolls/s, about " + Math.round(SLOW * 100) + "% slow and "
            + Math.round(FAILING * 100) + "% failing",
        "  logs       the app's stdout -> kansoku ship -> log group /ecs/dice",
        "  data       " + data.toAbsolutePath(),
        "Try:  curl -s '" + console + "/api/traces?service=dice-server&minDuration=250ms&start=5m'",
        "      curl -s '" + console + "/api/logs?group=/ecs/dice&q=%22rolling+the+dice%22&start=5m'",
        "Ctrl-C stops everything.", ""));

    DiceApp runningApp = app;
    AutoCloseable runningShipper = shipper;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.countDown();
      out.println("Stopping: load, dice app, log shipper, Kansoku");
      stop(load, runningApp, runningShipper, kansoku);
      out.println("Stopped.");
      stopped.countDown();
    }, "demo-shutdown"));
    // Ctrl-C reaches the app too (same process group): its exit is only news when no stop is under way.
    while (!stopping.await(1, TimeUnit.SECONDS)) {
      if (!app.process.isAlive() && !stopping.await(2, TimeUnit.SECONDS)) {
        err.println("The dice app exited (" + app.process.exitValue() + "); see " + app.stdout + ".err");
        return 1;
      }
    }
    stopped.await();
    return 0;
  }

  private static void roll(HttpClient http, String base, Counts counts) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    String player = PLAYERS.get(r.nextInt(PLAYERS.size()));
    double p = r.nextDouble();
    StringBuilder url = new StringBuilder(base).append("?player=").append(player);
    if (p < FAILING) {
      url.append("&fail=true");
    } else if (p < FAILING + SLOW) {
      url.append("&delayMs=").append(300 + r.nextInt(1700));
    }
    counts.sent.incrementAndGet();
    http.sendAsync(HttpRequest.newBuilder(URI.create(url.toString())).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.discarding()).whenComplete((resp, e) -> {
          if (e != null || resp.statusCode() >= 500) {
            counts.failed.incrementAndGet();
          }
        });
  }

  /** Each step bounded; safe with parts that never started. */
  private static void stop(ScheduledExecutorService load, DiceApp app, AutoCloseable shipper, Kansoku kansoku) {
    load.shutdownNow();
    try {
      if (app != null) {
        app.close();
      }
      if (shipper != null) {
        shipper.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      System.err.println("The log shipper did not stop cleanly: " + e);
    } finally {
      kansoku.close();
    }
  }

  private static final class Counts {
    final AtomicLong sent = new AtomicLong();
    final AtomicLong failed = new AtomicLong();

    @Override
    public String toString() {
      return "rolls sent: " + sent.get() + ", answered with an error: " + failed.get();
    }
  }

  private static double rate(String v) {
    try {
      double d = Double.parseDouble(v);
      if (d >= 0.01 && d <= 1000) {
        return d;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException("--rate: \"" + v + "\" (expected: rolls per second, 0.01 to 1000)");
  }

  private static DiceApp.Agent agent(String v) {
    return switch (v) {
      case "adot" -> DiceApp.Agent.ADOT;
      case "otel" -> DiceApp.Agent.OTEL;
      default -> throw new IllegalArgumentException("--agent: \"" + v + "\" (expected: adot or otel)");
    };
  }

  private static int offset(String v) {
    try {
      int p = Integer.parseInt(v);
      if (p >= 0 && p <= 50_000) {
        return p;
      }
    } catch (NumberFormatException e) {
      // Reported below.
    }
    throw new IllegalArgumentException("--port-offset: \"" + v + "\" (expected: 0 to 50000)");
  }
}
