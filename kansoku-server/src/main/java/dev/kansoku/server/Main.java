package dev.kansoku.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.PipelineConfig;
import dev.kansoku.pipeline.config.ServiceConfig;
import dev.kansoku.pipeline.featuregate.FeatureGates;
import dev.kansoku.ship.Ship;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code kansoku [run] [--config SRC]...}, {@code kansoku validate [--config
 * SRC]...}, {@code kansoku components} (see {@link ComponentsCommand}), {@code kansoku featuregate}
 * (see {@link FeatureGateCommand}), {@code kansoku healthcheck},
 * {@code kansoku ship ...} (see {@link Ship}) and {@code kansoku demo ...} (see {@link Demo}). Exit
 * codes: 0 ok, 1 invalid configuration or failed start, 2 bad command line.
 */
public final class Main {
  static final String USAGE = String.join("\n",
      "Usage: kansoku [run] [--config SRC]...      run the collector",
      "       kansoku validate [--config SRC]...   check the configuration and exit",
      "       kansoku components                   list the available components and their stability (YAML)",
      "       kansoku featuregate [ID]             list the feature gates, or show one",
      "       kansoku healthcheck [--url URL]      exit 0 when the health_check extension answers 200",
      "                                            (default " + HealthProbe.DEFAULT_URL + ")",
      "       kansoku ship --log-group G --log-stream S [--endpoint URL] [--file PATH [--from-start]]",
      "                                            send log lines to CloudWatch Logs (kansoku ship --help)",
      "       kansoku demo [--rate N] [--agent adot|otel]",
      "                                            the seed article's dice app under load (kansoku demo --help)",
      "",
      "SRC is a YAML file path, file:PATH, env:VAR (the whole YAML in a variable) or yaml:INLINE.",
      "Several --config values are deep-merged, later over earlier. With no --config, the YAML in",
      "AOT_CONFIG_CONTENT is used (as ADOT does), else the built-in default: OTLP on localhost:4317",
      "(gRPC) and localhost:4318 (HTTP) -> memory_limiter -> the store in ./data, queried on localhost:4600.",
      "${env:VAR}, ${VAR} and ${env:VAR:-default} are expanded in values.",
      "--feature-gates IDS (run, validate, components, featuregate; repeatable) sets the collector's feature",
      "gates: comma-separated ids, each enabled, or disabled with a leading '-'.",
      "JVM options (heap size: -Xmx) go in JAVA_OPTS when started with ./kansoku.");

  private Main() {}

  public static void main(String[] args) {
    // The JDK caches, per thread, a temporary direct buffer as large as the largest heap buffer that
    // thread wrote to a channel, for good; with many request threads and large batches that pinned
    // direct memory past -Xmx. Larger ones are freed after use (read once, before any I/O).
    if (System.getProperty("jdk.nio.maxCachedBufferSize") == null) {
      System.setProperty("jdk.nio.maxCachedBufferSize", Integer.toString(256 << 10));
    }
    int code = execute(args, System::getenv, System.out, System.err, true);
    if (code != 0) {
      System.exit(code);
    }
  }

  /**
   * Runs one command. With {@code block} false, {@code run} returns after start-up (tests); the
   * service then stops at JVM exit.
   */
  static int execute(String[] args, Function<String, String> env, PrintStream out, PrintStream err, boolean block) {
    if (args.length > 0 && args[0].equals("ship")) {
      return Ship.run(List.of(args).subList(1, args.length), System.in, err);
    }
    if (args.length > 0 && args[0].equals("healthcheck")) {
      return HealthProbe.run(List.of(args).subList(1, args.length), out, err);
    }
    if (args.length > 0 && args[0].equals("demo")) {
      return Demo.run(List.of(args).subList(1, args.length), out, err);
    }
    String command = "run";
    List<String> configs = new ArrayList<>();
    List<String> gates = new ArrayList<>();
    List<String> operands = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--help") || a.equals("-h") || a.equals("help")) {
        out.println(USAGE);
        return 0;
      } else if (a.equals("--config") || a.equals("-c")) {
        if (i + 1 >= args.length) {
          err.println("--config needs a value\n\n" + USAGE);
          return 2;
        }
        configs.add(args[++i]);
      } else if (a.startsWith("--config=")) {
        configs.add(a.substring("--config=".length()));
      } else if (a.equals("--feature-gates")) {
        if (i + 1 >= args.length) {
          err.println("--feature-gates needs a value\n\n" + USAGE);
          return 2;
        }
        gates.add(args[++i]);
      } else if (a.startsWith("--feature-gates=")) {
        gates.add(a.substring("--feature-gates=".length()));
      } else if (i == 0 && List.of("run", "validate", "components", "featuregate").contains(a)) {
        command = a;
      } else if (command.equals("featuregate") && !a.startsWith("-")) {
        operands.add(a);
      } else {
        err.println("unknown argument \"" + a + "\"\n\n" + USAGE);
        return 2;
      }
    }
    // The registry first: building it loads the components, which register their gates.
    ComponentRegistry registry = Components.registry();
    for (String g : gates) {
      try {
        FeatureGates.global().apply(g);
      } catch (IllegalArgumentException e) {
        err.println("--feature-gates: " + e.getMessage());
        return 2;
      }
    }
    if (command.equals("components")) {
      return ComponentsCommand.run(registry, version(), out);
    }
    if (command.equals("featuregate")) {
      return FeatureGateCommand.run(operands, out, err);
    }
    ConfigSelection selection = ConfigSelection.choose(configs, env);
    ServiceConfig config;
    try {
      config = Kansoku.load(selection.sources(), env, registry);
    } catch (ConfigException e) {
      err.println("Invalid configuration (" + selection.description() + "):");
      e.problems().forEach(p -> err.println("  " + p));
      return 1;
    }
    if (command.equals("validate")) {
      out.println("Configuration is valid (" + selection.description() + "): " + summary(config));
      return 0;
    }
    return run(selection, env, err, config, block);
  }

  private static int run(ConfigSelection selection, Function<String, String> env, PrintStream err,
      ServiceConfig config, boolean block) {
    setLogLevel(config.logLevel());
    Logger log = LoggerFactory.getLogger(Main.class);
    // The loops the store and pipeline need catch what they throw and carry on; anything else that
    // ends a thread is at least said, with its stack, where the operator looks.
    Thread.setDefaultUncaughtExceptionHandler((t, e) -> log.error("Thread {} ended with an uncaught {}", t.getName(),
        e.toString(), e));
    log.info("Kansoku {} starting with {}: {}", version(), selection.description(), summary(config));
    Kansoku kansoku;
    try {
      kansoku = Kansoku.start(selection.sources(), env);
    } catch (Exception e) {
      err.println("Kansoku could not start: " + e.getMessage());
      log.debug("start-up failure", e);
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("Shutting down: stopping receivers, flushing batches, draining exporters");
      kansoku.close();
      stopped.countDown();
    }, "kansoku-shutdown"));
    if (block) {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return 0;
  }

  static String summary(ServiceConfig config) {
    List<String> parts = new ArrayList<>();
    for (PipelineConfig p : config.pipelines()) {
      List<String> chain = new ArrayList<>();
      chain.add(String.join("+", p.receivers().stream().map(Object::toString).toList()));
      p.processors().forEach(id -> chain.add(id.toString()));
      chain.add(String.join("+", p.exporters().stream().map(Object::toString).toList()));
      parts.add(p.id() + " [" + String.join(" -> ", chain) + "]");
    }
    if (parts.isEmpty()) {
      return "no pipelines, extensions " + config.extensions();
    }
    return String.join(", ", parts);
  }

  private static void setLogLevel(String level) {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
      ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(level, Level.INFO));
    }
  }

  private static String version() {
    String v = Main.class.getPackage().getImplementationVersion();
    return v == null ? "(development)" : v;
  }
}
