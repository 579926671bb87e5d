package dev.kansoku.aws.containerinsight;

import dev.kansoku.aws.PollingTimer;
import dev.kansoku.aws.ec2.Ec2DescribeTags;
import dev.kansoku.contrib.resourcedetection.Imds;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects the ECS container instance's metrics every {@code collection_interval} (the first one
 * interval after the start, as the collector's ticker does) and hands them to the metrics
 * pipelines. EKS mode is refused at start.
 */
final class AwsContainerInsightReceiver implements Receiver {
  private static final Logger LOG = LoggerFactory.getLogger(AwsContainerInsightReceiver.class);

  /** Where the host is seen from: its /proc and its cgroup hierarchy, and the agent when not at the instance's IP. */
  record HostPaths(Path proc, Path cgroup, ProcReader.FsStat fsStat, @Nullable URI agent) {
    /**
     * The collector's places: {@code HOST_PROC}, else the host's /proc mounted at /rootfs/proc (the
     * collector's ECS task definition), else /proc; /sys/fs/cgroup, else /cgroup (Amazon Linux 1).
     */
    static HostPaths detect(Function<String, String> env) {
      String hostProc = env.apply("HOST_PROC");
      Path proc = hostProc != null && !hostProc.isBlank() ? Path.of(hostProc)
          : Files.isDirectory(Path.of("/rootfs/proc")) ? Path.of("/rootfs/proc") : Path.of("/proc");
      Path cgroup = Files.isDirectory(Path.of("/sys/fs/cgroup")) ? Path.of("/sys/fs/cgroup") : Path.of("/cgroup");
      Path parent = proc.toAbsolutePath().getParent();
      return new HostPaths(proc, cgroup, ProcReader.fileStores(parent == null ? Path.of("/") : parent), null);
    }
  }

  private final String id;
  private final AwsContainerInsightReceiverConfig config;
  private final Function<String, String> env;
  private final HostPaths paths;
  private final Ec2HostInfo.TagSource tags;
  private final Clock clock;
  @Nullable private final DataConsumer<ExportMetricsServiceRequest> next;
  @Nullable private EcsInstanceCollector collector;
  @Nullable private ScheduledExecutorService timer;

  AwsContainerInsightReceiver(String id, AwsContainerInsightReceiverConfig config, Function<String, String> env,
      HostPaths paths, Ec2HostInfo.TagSource tags, Clock clock, Consumers next) {
    this.id = id;
    this.config = config;
    this.env = env;
    this.paths = paths;
    this.tags = tags;
    this.clock = clock;
    this.next = next.get(Signal.METRICS).orElse(null);
  }

  static AwsContainerInsightReceiver create(String id, AwsContainerInsightReceiverConfig config,
      Function<String, String> env, Consumers next) {
    return new AwsContainerInsightReceiver(id, config, env, HostPaths.detect(env),
        new Ec2DescribeTags(env)::tags, Clock.systemUTC(), next);
  }

  @Override
  public synchronized void start(Host host) {
    if (AwsContainerInsightReceiverConfig.EKS.equals(config.containerOrchestrator)) {
      throw new IllegalStateException(id + ": container_orchestrator: eks is not built yet in Kansoku (only ecs"
          + " runs: instance metrics of an ECS container instance); EKS mode's configuration keys are accepted"
          + " but the receiver cannot start in it");
    }
    collector = newCollector();
    timer = PollingTimer.start(id, config.collectionInterval, this::collectAndLog);
    LOG.info("{}: ECS mode, reading {} and {} every {}", id, paths.proc(), paths.cgroup(), config.collectionInterval);
  }

  private EcsInstanceCollector newCollector() {
    Ec2HostInfo ec2 = config.localMode ? null
        : new Ec2HostInfo(new Imds(env, config.imdsRetries + 1, Duration.ofSeconds(1)), tags);
    return new EcsInstanceCollector(id, config.clusterName, new CgroupReader(paths.cgroup()),
        new ProcReader(paths.proc()), paths.fsStat(), ec2, paths.agent(), env, clock);
  }

  @Override
  public synchronized void shutdown() {
    if (timer != null) {
      timer.shutdownNow();
      timer = null;
    }
  }

  private void collectAndLog() {
    try {
      collect();
    } catch (ConsumeException e) {
      LOG.warn("{}: the metrics pipeline refused Container Insights metrics: {}", id, e.getMessage());
    } catch (RuntimeException e) {
      // A scheduled task that throws is never run again; one bad reading must not stop the collection.
      LOG.warn("{}: could not collect Container Insights metrics", id, e);
    }
  }

  /** One collection, consumed when it has any metric. */
  void collect() throws ConsumeException {
    EcsInstanceCollector c;
    synchronized (this) {
      c = collector;
    }
    if (c == null || next == null) {
      return;
    }
    ExportMetricsServiceRequest request = c.collect();
    if (request.getResourceMetricsCount() > 0) {
      next.consume(request);
    }
  }
}
