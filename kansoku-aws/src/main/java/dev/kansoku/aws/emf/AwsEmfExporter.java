package dev.kansoku.aws.emf;

import dev.kansoku.aws.AwsClients;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.exporterhelper.ExporterSenders;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * {@code awsemf}: metrics as EMF log events to CloudWatch Logs (or stdout). Batches go through
 * {@link ExporterSenders} (queue and retry).
 *
 * <p>A batch is translated once, on its first attempt, and the attempt remembers how many
 * PutLogEvents requests succeeded: a retry resends only the rest. Translating again would count each
 * cumulative value twice (its delta would be 0) and resending would duplicate events.
 *
 * <p>Thread-safe.
 */
final class AwsEmfExporter implements Exporter {
  private static final Logger log = LoggerFactory.getLogger(AwsEmfExporter.class);
  /** Batches being retried that are remembered; more than the queue holds only if batches are abandoned. */
  private static final int MAX_IN_FLIGHT = 4096;

  private final String id;
  private final AwsEmfExporterConfig config;
  private final EmfTranslator translator;
  private final boolean stdout;
  private final PrintStream out;
  private final Function<String, String> env;
  private final ExporterSenders senders;
  private final LogEventBatcher batcher;
  private final Object lock = new Object();
  /** Keyed by identity: the retry loop hands the same batch object back. */
  private final Map<ExportMetricsServiceRequest, Attempt> inFlight = new IdentityHashMap<>(); // guarded by lock
  private final LinkedHashMap<ExportMetricsServiceRequest, Boolean> inFlightOrder = new LinkedHashMap<>(); // guarded by lock
  @Nullable private SdkHttpClient httpClient; // guarded by lock
  @Nullable private volatile CloudWatchLogsClient client;
  @Nullable private volatile CloudWatchLogsSender sender;
  private boolean shutDown; // guarded by lock

  private static final class Attempt {
    final List<CloudWatchLogsSender.Request> requests;
    int sent;

    Attempt(List<CloudWatchLogsSender.Request> requests) {
      this.requests = requests;
    }
  }

  AwsEmfExporter(String id, AwsEmfExporterConfig config, PrintStream out, Function<String, String> env,
      LogEventBatcher batcher) {
    this.id = id;
    this.config = config;
    this.translator = new EmfTranslator(config);
    this.stdout = config.outputDestination.toLowerCase(Locale.ROOT).equals("stdout");
    this.out = out;
    this.env = env;
    this.batcher = batcher;
    this.senders = new ExporterSenders(id, config.retryOnFailure, config.sendingQueue, this::send);
  }

  @Override
  public <T> DataConsumer<T> consumer(Signal<T> signal) {
    return senders.consumer(signal);
  }

  @Override
  public void start(Host host) {
    synchronized (lock) {
      if (shutDown || httpClient != null) {
        return;
      }
      if (!stdout) {
        httpClient = AwsClients.httpClient(config);
        CloudWatchLogsClient c = AwsClients.configure(CloudWatchLogsClient.builder(), config, env)
            .httpClient(httpClient)
            .build();
        client = c;
        sender = new CloudWatchLogsSender(id, c, batcher, config.logRetention, config.tags);
      }
    }
    senders.start();
    log.info("Exporter {} writes EMF to {}", id, stdout ? "stdout" : "CloudWatch Logs"
        + (config.endpoint.isEmpty() ? "" : " at " + config.endpoint));
  }

  @Override
  public void shutdown() {
    synchronized (lock) {
      if (shutDown) {
        return;
      }
      shutDown = true;
    }
    long t0 = System.nanoTime();
    senders.shutdown();
    CloudWatchLogsClient c = client;
    if (c != null) {
      c.close();
    }
    synchronized (lock) {
      if (httpClient != null) {
        httpClient.close();
      }
    }
    log.info("Exporter {} stopped in {} ms", id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
  }

  private <T> void send(Signal<T> signal, T batch) throws ConsumeException {
    if (signal != Signal.METRICS) {
      throw ConsumeException.permanent("exporter " + id + " exports metrics only, not " + signal, null);
    }
    ExportMetricsServiceRequest request = (ExportMetricsServiceRequest) batch;
    if (stdout) {
      for (String line : translator.translate(request)) {
        out.println(line);
      }
      return;
    }
    CloudWatchLogsSender s = sender;
    if (s == null) {
      throw ConsumeException.unavailable("exporter " + id + " is not started", null, null);
    }
    Attempt attempt = attempt(request, s);
    while (attempt.sent < attempt.requests.size()) {
      try {
        s.put(attempt.requests.get(attempt.sent));
      } catch (ConsumeException e) {
        if (!e.retryable()) {
          forget(request);
        }
        throw e;
      }
      attempt.sent++;
    }
    forget(request);
  }

  private Attempt attempt(ExportMetricsServiceRequest request, CloudWatchLogsSender s) {
    synchronized (lock) {
      Attempt a = inFlight.get(request);
      if (a != null) {
        return a;
      }
    }
    Attempt a = new Attempt(s.plan(translator.translateEvents(request)));
    synchronized (lock) {
      inFlight.put(request, a);
      inFlightOrder.put(request, Boolean.TRUE);
      if (inFlightOrder.size() > MAX_IN_FLIGHT) {
        Iterator<ExportMetricsServiceRequest> it = inFlightOrder.keySet().iterator();
        inFlight.remove(it.next());
        it.remove();
      }
    }
    return a;
  }

  private void forget(ExportMetricsServiceRequest request) {
    synchronized (lock) {
      inFlight.remove(request);
      inFlightOrder.remove(request);
    }
  }

  @Override
  public String toString() {
    return "AwsEmfExporter{" + id + "}";
  }
}
