package dev.kansoku.prometheus.receiver;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import dev.kansoku.prometheus.textparse.ExpositionException;
import dev.kansoku.prometheus.textparse.ExpositionParser;
import dev.kansoku.prometheus.textparse.Metadata;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes one target, one scrape at a time: GET, parse, build the OTLP request (samples, {@code up} and the
 * {@code scrape_*} series, stale markers for series that went away) and hand it on. A failed scrape (HTTP error,
 * timeout, bad exposition, a limit) sends {@code up} 0 and marks the last scrape's series stale, as Prometheus
 * does. Thread-safety: {@link #scrape} runs on one thread at a time (the manager does not overlap a target's
 * scrapes); {@link #stop} may come from any thread.
 */
final class ScrapeLoop {
  private static final Logger log = LoggerFactory.getLogger(ScrapeLoop.class);

  private final Job job;
  private final Target target;
  private final ScrapeClient client;
  private final Settings settings;
  private final Consumer<ExportMetricsServiceRequest> out;
  private final ExpositionParser parser = new ExpositionParser();
  private final Object lock = new Object();
  private Map<String, ScrapeBatch.Series> previous = new HashMap<>();
  private long lastScrapeMs;
  private String lastError;
  /** Set by {@link #stop}: a scrape the timer already handed to a worker must not write after the stale markers. */
  private boolean stopped;

  /** What every loop of a receiver shares. */
  record Settings(boolean trimSuffixes, String scopeVersion, Clock clock) {}

  ScrapeLoop(Job job, Target target, ScrapeClient client, Settings settings, Consumer<ExportMetricsServiceRequest> out) {
    this.job = job;
    this.target = target;
    this.client = client;
    this.settings = settings;
    this.out = out;
  }

  Target target() {
    return target;
  }

  /** The last scrape's failure, or null after a success. */
  String lastError() {
    synchronized (lock) {
      return lastError;
    }
  }

  void scrape() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      long startNanos = System.nanoTime();
      long startMs = settings.clock().millis();
      MetricsBuilder builder = new MetricsBuilder(target, settings.trimSuffixes(), settings.scopeVersion(),
          job.externalLabels());
      ScrapeBatch batch = new ScrapeBatch(job, target, startMs, builder, previous);
      String error = null;
      try {
        AggregatedHttpResponse res = client.get(target).get(target.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        if (!res.status().equals(HttpStatus.OK)) {
          throw new ScrapeException("server returned HTTP status " + res.status());
        }
        byte[] body = res.content().array();
        parser.parse(body, body.length, openMetrics(res.contentType()), batch);
      } catch (ScrapeException | ExpositionException | ScrapeBatch.LimitExceeded e) {
        error = e.getMessage();
      } catch (TimeoutException e) {
        error = "context deadline exceeded";
      } catch (ExecutionException | CompletionException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        error = cause.getClass().getSimpleName().contains("Timeout") ? "context deadline exceeded"
            : cause.getClass().getSimpleName().equals("ContentTooLargeException") ? "body size limit exceeded"
            : String.valueOf(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (error != null) {
        // As Prometheus: the failed scrape's samples are discarded and every series of the last one goes stale.
        builder = new MetricsBuilder(target, settings.trimSuffixes(), settings.scopeVersion(), job.externalLabels());
        ScrapeBatch failed = new ScrapeBatch(job, target, startMs, builder, previous);
        failed.markStale(startMs);
        report(builder, startMs, 0, (System.nanoTime() - startNanos) / 1e9, batch.scraped(), 0, 0);
        previous = new HashMap<>();
        if (!error.equals(lastError)) {
          log.warn("prometheus receiver: scrape of {} (job {}) failed: {}", target.url(), job.name(), error);
        }
      } else {
        batch.markStale(startMs);
        report(builder, startMs, 1, (System.nanoTime() - startNanos) / 1e9, batch.scraped(), batch.kept(),
            batch.added());
        previous = batch.seen();
      }
      lastError = error;
      lastScrapeMs = startMs;
      out.accept(builder.build());
    }
  }

  /** Marks every series of the last scrape stale, once: the target went away; later scrapes do nothing. */
  void stop() {
    synchronized (lock) {
      boolean again = stopped;
      stopped = true;
      if (again || lastScrapeMs == 0) {
        return;
      }
      long now = Math.max(settings.clock().millis(), lastScrapeMs + 1);
      MetricsBuilder builder = new MetricsBuilder(target, settings.trimSuffixes(), settings.scopeVersion(),
          job.externalLabels());
      new ScrapeBatch(job, target, now, builder, previous).markStale(now);
      for (String name : MetricsBuilder.INTERNAL.keySet()) {
        builder.add(new ScrapeBatch.Series(name, target.labels(), MetricsBuilder.INTERNAL.get(name), name), 0, now,
            true);
      }
      previous = new HashMap<>();
      out.accept(builder.build());
    }
  }

  private void report(MetricsBuilder builder, long ts, double up, double seconds, int scraped, int kept, int added) {
    put(builder, "up", up, ts);
    put(builder, "scrape_duration_seconds", seconds, ts);
    put(builder, "scrape_samples_scraped", scraped, ts);
    put(builder, "scrape_samples_post_metric_relabeling", kept, ts);
    put(builder, "scrape_series_added", added, ts);
  }

  private void put(MetricsBuilder builder, String name, double value, long ts) {
    Metadata m = MetricsBuilder.INTERNAL.get(name);
    builder.add(new ScrapeBatch.Series(name, target.labels(), m, name), value, ts, false);
  }

  private boolean openMetrics(MediaType type) throws ScrapeException {
    if (type != null && type.is(MediaType.parse("application/openmetrics-text"))) {
      return true;
    }
    if (type != null && type.type().equals("text") && type.subtype().equals("plain")) {
      return false;
    }
    if (job.fallbackProtocol() != null) {
      return job.fallbackProtocol().startsWith("OpenMetrics");
    }
    throw new ScrapeException(type == null
        ? "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target"
        : "received unsupported Content-Type \"" + type + "\" and no fallback_scrape_protocol specified for target");
  }

  private static final class ScrapeException extends Exception {
    ScrapeException(String message) {
      super(message);
    }
  }
}
