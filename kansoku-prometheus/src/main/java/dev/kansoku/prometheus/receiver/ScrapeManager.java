package dev.kansoku.prometheus.receiver;

import dev.kansoku.prometheus.discovery.TargetDiscovery;
import dev.kansoku.prometheus.discovery.TargetGroup;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each job's target groups by discovery and source, and one {@link ScrapeLoop} per distinct target:
 * started when a target appears (its first scrape offset within the interval by a hash of the target, as
 * Prometheus spreads scrapes), stopped with stale markers when it goes away. Thread-safety: discovery updates
 * and shutdown are serialised on this object; scrapes run on the worker pool, never two of one target at once.
 */
final class ScrapeManager {
  private static final Logger log = LoggerFactory.getLogger(ScrapeManager.class);

  private final ScheduledExecutorService timer;
  private final ExecutorService workers;
  private final ScrapeLoop.Settings settings;
  private final Consumer<ExportMetricsServiceRequest> out;
  private final boolean offsetScrapes;
  private final Map<String, JobState> jobs = new LinkedHashMap<>();
  private boolean stopped;

  private final class JobState {
    final Job job;
    final ScrapeClient client;
    /** Groups by discovery index, then source. */
    final Map<Integer, Map<String, TargetGroup>> groups = new HashMap<>();
    final Map<String, Running> loops = new HashMap<>();

    JobState(Job job) {
      this.job = job;
      this.client = new ScrapeClient(job);
    }
  }

  private record Running(ScrapeLoop loop, ScheduledFuture<?> schedule, AtomicBoolean busy) {}

  ScrapeManager(List<Job> jobs, ScheduledExecutorService timer, ExecutorService workers, ScrapeLoop.Settings settings,
      boolean offsetScrapes, Consumer<ExportMetricsServiceRequest> out) {
    this.timer = timer;
    this.workers = workers;
    this.settings = settings;
    this.offsetScrapes = offsetScrapes;
    this.out = out;
    for (Job j : jobs) {
      this.jobs.put(j.name(), new JobState(j));
    }
  }

  /** Starts {@code discovery} as discovery number {@code index} of job {@code job}. */
  void attach(String job, int index, TargetDiscovery discovery) {
    discovery.start(groups -> update(job, index, groups));
  }

  synchronized void update(String jobName, int index, List<TargetGroup> changed) {
    JobState state = jobs.get(jobName);
    if (stopped || state == null) {
      return;
    }
    Map<String, TargetGroup> bySource = state.groups.computeIfAbsent(index, i -> new HashMap<>());
    for (TargetGroup g : changed) {
      if (g.targets().isEmpty()) {
        bySource.remove(g.source());
      } else {
        bySource.put(g.source(), g);
      }
    }
    Map<String, Target> wanted = new LinkedHashMap<>();
    for (Map<String, TargetGroup> groups : state.groups.values()) {
      for (TargetGroup g : groups.values()) {
        for (Map<String, String> t : g.targets()) {
          try {
            Target target = Target.populate(state.job, t, g.labels());
            if (target != null) {
              wanted.putIfAbsent(target.key(), target);
            }
          } catch (IllegalArgumentException e) {
            log.warn("prometheus receiver: job {}: dropping target {}: {}", jobName, t.get("__address__"),
                e.getMessage());
          }
        }
      }
    }
    for (String key : new ArrayList<>(state.loops.keySet())) {
      if (!wanted.containsKey(key)) {
        Running r = state.loops.remove(key);
        r.schedule().cancel(false);
        workers.execute(() -> r.loop().stop());
      }
    }
    for (Target t : wanted.values()) {
      if (!state.loops.containsKey(t.key())) {
        start(state, t);
      }
    }
  }

  private void start(JobState state, Target t) {
    ScrapeLoop loop = new ScrapeLoop(state.job, t, state.client, settings, out);
    AtomicBoolean busy = new AtomicBoolean();
    long interval = t.interval().toMillis();
    long offset = offsetScrapes ? Math.floorMod(t.key().hashCode(), interval) : 0;
    ScheduledFuture<?> f = timer.scheduleAtFixedRate(() -> {
      if (!busy.compareAndSet(false, true)) {
        return; // the last scrape still runs: skip this tick rather than pile up
      }
      workers.execute(() -> {
        try {
          loop.scrape();
        } catch (RuntimeException e) {
          log.warn("prometheus receiver: scrape of {} failed", t.url(), e);
        } finally {
          busy.set(false);
        }
      });
    }, offset, interval, TimeUnit.MILLISECONDS);
    state.loops.put(t.key(), new Running(loop, f, busy));
  }

  /** The running loops' targets, by job. */
  synchronized Map<String, List<ScrapeLoop>> loops() {
    Map<String, List<ScrapeLoop>> out = new LinkedHashMap<>();
    jobs.forEach((name, s) -> out.put(name, s.loops.values().stream().map(Running::loop).toList()));
    return out;
  }

  /** Stops every loop without stale markers (Prometheus writes none on shutdown) and closes the clients. */
  synchronized void stop() {
    stopped = true;
    for (JobState s : jobs.values()) {
      s.loops.values().forEach(r -> r.schedule().cancel(false));
      s.loops.clear();
      s.client.close();
    }
  }
}
