package dev.kansoku.prometheus.receiver;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.prometheus.discovery.FileDiscovery;
import dev.kansoku.prometheus.discovery.KubernetesSdConfig;
import dev.kansoku.prometheus.discovery.StaticDiscovery;
import dev.kansoku.prometheus.discovery.TargetDiscovery;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running {@code prometheus} receiver: the jobs' discoveries feed a {@link ScrapeManager}, whose scrapes go
 * down the metrics pipelines as one OTLP request per scrape. A request the pipeline refuses is dropped and
 * counted, with one warning per interval, as upstream drops it (a scrape cannot be retried later).
 */
final class PrometheusReceiver implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(PrometheusReceiver.class);
  private static final int WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

  private final String id;
  private final List<Job> jobs;
  private final ScrapeLoop.Settings settings;
  private final boolean offsetScrapes;
  @Nullable private final DataConsumer<ExportMetricsServiceRequest> next;
  private final RateLimitedLog refusedLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final AtomicLong dropped = new AtomicLong();
  private final List<TargetDiscovery> discoveries = new ArrayList<>();
  private final Object lock = new Object();
  @Nullable private ScrapeManager manager;
  @Nullable private ScheduledExecutorService timer;
  @Nullable private ExecutorService workers;

  PrometheusReceiver(String id, List<Job> jobs, ScrapeLoop.Settings settings, boolean offsetScrapes,
      @Nullable DataConsumer<ExportMetricsServiceRequest> next) {
    this.id = id;
    this.jobs = List.copyOf(jobs);
    this.settings = settings;
    this.offsetScrapes = offsetScrapes;
    this.next = next;
  }

  @Override
  public void start(Host host) {
    synchronized (lock) {
      if (manager != null) {
        return;
      }
      timer = Executors.newSingleThreadScheduledExecutor(r -> thread(r, "prometheus-receiver-" + id + "-timer"));
      AtomicInteger n = new AtomicInteger();
      workers = Executors.newFixedThreadPool(WORKERS,
          r -> thread(r, "prometheus-receiver-" + id + "-scrape-" + n.incrementAndGet()));
      manager = new ScrapeManager(jobs, timer, workers, settings, offsetScrapes, this::deliver);
      for (Job job : jobs) {
        List<TargetDiscovery> own = new ArrayList<>();
        if (!job.config().staticConfigs.isEmpty()) {
          own.add(new StaticDiscovery(job.config().staticConfigs));
        }
        job.config().fileSdConfigs.forEach(f -> own.add(new FileDiscovery(f)));
        for (KubernetesSdConfig k : job.config().kubernetesSdConfigs) {
          try {
            own.add(k.open());
          } catch (IllegalStateException e) {
            // As Prometheus's discovery manager: a discovery that cannot be created is logged and left
            // out, and the receiver runs with the others (ADOT's EKS configurations start outside a cluster).
            log.error("prometheus receiver {}: job {}: cannot create kubernetes service discovery: {}", id,
                job.name(), e.getMessage());
          }
        }
        for (int i = 0; i < own.size(); i++) {
          discoveries.add(own.get(i));
          manager.attach(job.name(), i, own.get(i));
        }
      }
      log.info("prometheus receiver {}: scraping {} job(s)", id, jobs.size());
    }
  }

  private static Thread thread(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private void deliver(ExportMetricsServiceRequest request) {
    if (next == null || request.getResourceMetricsCount() == 0) {
      return;
    }
    try {
      next.consume(request);
    } catch (ConsumeException e) {
      dropped.addAndGet(Signal.METRICS.count(request));
      refusedLog.warn("prometheus receiver {}: pipeline refused a scrape's data points, dropped ({}): {}", id,
          e.reason(), e.getMessage());
    } catch (RuntimeException e) {
      dropped.addAndGet(Signal.METRICS.count(request));
      refusedLog.warn("prometheus receiver {}: pipeline failed on a scrape's data points, dropped", id, e);
    }
  }

  /** Data points the pipeline refused. */
  long dropped() {
    return dropped.get();
  }

  /** The manager while running, for tests. */
  @Nullable
  ScrapeManager manager() {
    synchronized (lock) {
      return manager;
    }
  }

  @Override
  public void shutdown() {
    synchronized (lock) {
      if (manager == null) {
        return;
      }
      long started = System.nanoTime();
      discoveries.forEach(d -> {
        try {
          d.close();
        } catch (RuntimeException e) {
          log.warn("prometheus receiver {}: closing a discovery failed", id, e);
        }
      });
      discoveries.clear();
      manager.stop();
      timer.shutdownNow();
      workers.shutdown();
      try {
        workers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      workers.shutdownNow();
      manager = null;
      log.info("prometheus receiver {}: stopped in {} ms ({} data points dropped)", id,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), dropped.get());
    }
  }
}
