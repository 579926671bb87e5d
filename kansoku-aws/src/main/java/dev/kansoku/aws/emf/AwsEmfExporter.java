package dev.kansoku.aws.emf;

import dev.kansoku.aws.AwsClients;
import dev.kansoku.aws.logs.CloudWatchLogsLimits;
import dev.kansoku.aws.logs.LogEvent;
import dev.kansoku.aws.logs.LogEventBatcher;
import dev.kansoku.aws.logs.PutLogEventsSender;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.exporterhelper.ExporterLifecycle;
import dev.kansoku.pipeline.exporterhelper.LifecycleExporter;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * {@code awsemf}: metrics as EMF log events to CloudWatch Logs (or stdout). {@link ExporterLifecycle}
 * adds start/shutdown, queue and retry.
 *
 * <p>A batch is translated once, on its first attempt, into PutLogEvents requests. When one of them
 * fails, the failure says which requests are left ({@link ConsumeException#partial}), and a retry
 * sends only those: translating again would count each cumulative value twice (its delta would be
 * 0) and resending the delivered requests would duplicate events. The unsent part is counted in
 * data points as the batch's points times the share of its events not yet sent: an EMF event holds
 * several points, and the translator does not say which.
 *
 * <p>Thread-safe.
 */
final class AwsEmfExporter implements LifecycleExporter {
  private static final Logger log = LoggerFactory.getLogger(AwsEmfExporter.class);

  private final String id;
  private final AwsEmfExporterConfig config;
  private final EmfTranslator translator;
  private final boolean stdout;
  private final PrintStream out;
  private final Function<String, String> env;
  private final ExporterLifecycle<Clients> lifecycle;

  /** For stdout, no clients: both null. */
  private record Clients(@Nullable AwsClients.Client<CloudWatchLogsClient> logs,
      @Nullable PutLogEventsSender sender) {}

  /** One PutLogEvents request: events of one log stream, within CloudWatch Logs' limits. */
  record Request(String logGroup, String logStream, List<LogEvent> events) {}

  /** One batch's requests, and its size in data points and events for counting what is left. */
  private record Plan(List<Request> requests, int points, int events) {}

  AwsEmfExporter(String id, AwsEmfExporterConfig config, PrintStream out, Function<String, String> env) {
    this.id = id;
    this.config = config;
    this.translator = new EmfTranslator(config);
    this.stdout = config.outputDestination.toLowerCase(Locale.ROOT).equals("stdout");
    this.out = out;
    this.env = env;
    this.lifecycle = new ExporterLifecycle<>(id, config.retryOnFailure, config.sendingQueue, this::open, this::send,
        c -> {
          if (c.logs() != null) {
            c.logs().close();
          }
        });
  }

  private Clients open(Host host) {
    Clients clients = new Clients(null, null);
    if (!stdout) {
      AwsClients.Client<CloudWatchLogsClient> logs = AwsClients.open(CloudWatchLogsClient.builder(), config, env);
      clients = new Clients(logs, new PutLogEventsSender(logs.sdk(), "Exporter " + id, config.tags,
          (int) config.logRetention, "json/emf"));
    }
    log.info("Exporter {} writes EMF to {}", id, stdout ? "stdout" : "CloudWatch Logs"
        + (config.endpoint.isEmpty() ? "" : " at " + config.endpoint));
    return clients;
  }

  private <T> void send(Clients clients, Signal<T> signal, T batch) throws ConsumeException {
    if (signal != Signal.METRICS) {
      throw ConsumeException.permanent("exporter " + id + " exports metrics only, not " + signal, null);
    }
    ExportMetricsServiceRequest request = (ExportMetricsServiceRequest) batch;
    PutLogEventsSender s = clients.sender();
    if (s == null) {
      for (String line : translator.translate(request)) {
        out.println(line);
      }
      return;
    }
    List<Request> requests = plan(translator.translateEvents(request), System.currentTimeMillis());
    put(s, new Plan(requests, signal.count(batch), eventsFrom(requests, 0)), 0);
  }

  /**
   * The requests for {@code events}: grouped by log group and stream in arrival order, each stream's
   * events in timestamp order (stable) and cut to CloudWatch Logs' limits, an oversized event
   * truncated as the reference does. An event CloudWatch would refuse for its age (over 14 days old,
   * over 2 hours ahead of {@code nowMillis}) is dropped with an error line, as the reference's
   * cwlogs pusher does.
   */
  static List<Request> plan(List<EmfEvent> events, long nowMillis) {
    Map<List<String>, List<EmfEvent>> byStream = new LinkedHashMap<>();
    for (EmfEvent e : events) {
      long age = nowMillis - e.timestampMs();
      if (age > CloudWatchLogsLimits.MAX_AGE_MS || age < -CloudWatchLogsLimits.MAX_AHEAD_MS) {
        log.error("Discard log entry with invalid timestamp {} (now {}): the log entry's timestamp is older than 14 days"
            + " or more than 2 hours in the future", Instant.ofEpochMilli(e.timestampMs()), Instant.ofEpochMilli(nowMillis));
        continue;
      }
      byStream.computeIfAbsent(List.of(e.logGroup(), e.logStream()), k -> new ArrayList<>()).add(e);
    }
    List<Request> out = new ArrayList<>();
    byStream.forEach((k, stream) -> {
      stream.sort(Comparator.comparingLong(EmfEvent::timestampMs));
      LogEventBatcher batcher = new LogEventBatcher(LogEventBatcher.Oversize.TRUNCATE);
      List<List<LogEvent>> batches = new ArrayList<>();
      for (EmfEvent e : stream) {
        batches.addAll(batcher.add(e.timestampMs(), e.message()));
      }
      if (!batcher.isEmpty()) {
        batches.add(batcher.drain());
      }
      batches.forEach(b -> out.add(new Request(k.get(0), k.get(1), b)));
    });
    return out;
  }

  /** Sends the plan's requests from {@code from} on; a failure carries the resend of those not sent. */
  private void put(PutLogEventsSender s, Plan plan, int from) throws ConsumeException {
    List<Request> requests = plan.requests();
    for (int i = from; i < requests.size(); i++) {
      Request r = requests.get(i);
      try {
        s.put(r.logGroup(), r.logStream(), r.events());
      } catch (SdkException e) {
        // Partial even when nothing was sent yet: resending the batch itself would translate it again.
        int next = i;
        throw ConsumeException.partial(consumeException(e, r), unsentPoints(plan, i), () -> put(s, plan, next));
      }
    }
  }

  /**
   * A failed PutLogEvents in the pipeline's terms. The reference makes every 4xx permanent, throttling
   * included; retrying throttling is what CloudWatch asks clients to do.
   */
  private ConsumeException consumeException(SdkException e, Request r) {
    String message = "exporter " + id + ": PutLogEvents to " + r.logGroup() + "/" + r.logStream() + " "
        + PutLogEventsSender.describe(e);
    return switch (PutLogEventsSender.failure(e)) {
      case THROTTLED -> ConsumeException.overloaded(message, Duration.ofSeconds(1));
      case UNAVAILABLE -> ConsumeException.unavailable(message, null, e);
      case INVALID -> ConsumeException.invalid(message);
      case PERMANENT -> ConsumeException.permanent(message, e);
    };
  }

  /** The batch's points times the share of its events in requests {@code from} on, rounded up. */
  private static int unsentPoints(Plan plan, int from) {
    if (plan.events() == 0) {
      return 0;
    }
    return (int) (((long) plan.points() * eventsFrom(plan.requests(), from) + plan.events() - 1) / plan.events());
  }

  private static int eventsFrom(List<Request> requests, int from) {
    int events = 0;
    for (int i = from; i < requests.size(); i++) {
      events += requests.get(i).events().size();
    }
    return events;
  }

  @Override
  public String toString() {
    return "AwsEmfExporter{" + id + "}";
  }

  @Override
  public ExporterLifecycle<?> lifecycle() {
    return lifecycle;
  }
}
