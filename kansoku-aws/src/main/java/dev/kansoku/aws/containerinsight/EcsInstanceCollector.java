package dev.kansoku.aws.containerinsight;

import dev.kansoku.pipeline.RateLimitedLog;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ECS container instance's Container Insights metrics, as the collector's receiver computes
 * them in ECS mode from the root container of its embedded cAdvisor: CPU, memory, network (per
 * interface and summed), file systems and block I/O of the whole host, with the ECS agent's
 * running tasks and the CPU and memory they reserve. Counters become per-second rates (CPU in
 * millicores) from two successive collections, so the first collection has no rates. Used by the
 * one collection thread; not thread-safe.
 */
final class EcsInstanceCollector {
  private static final Logger LOG = LoggerFactory.getLogger(EcsInstanceCollector.class);
  /** The devices the collector's file system extractor keeps. */
  private static final Pattern FS_DEVICES = Pattern.compile("^(tmpfs|/dev/.*|overlay)$");
  /** Two readings closer than 50µs give no rate, as in the collector. */
  private static final long MIN_RATE_GAP_NANOS = 50_000;
  private static final String[] DISK_OPS = {"Async", "Sync", "Read", "Write", "Total"};
  private static final Map<String, String> SOURCES = Map.of(
      MetricGroup.INSTANCE, "[\"cadvisor\",\"/proc\",\"ecsagent\",\"calculated\"]",
      MetricGroup.INSTANCE_FS, "[\"cadvisor\",\"calculated\"]",
      MetricGroup.INSTANCE_NET, "[\"cadvisor\",\"calculated\"]",
      MetricGroup.INSTANCE_DISKIO, "[\"cadvisor\"]");

  private record Reading(double value, long nanos) {}

  private final String id;
  private final String clusterNameOverride;
  private final CgroupReader cgroup;
  private final ProcReader proc;
  private final ProcReader.FsStat fsStat;
  @Nullable private final Ec2HostInfo ec2;
  @Nullable private final URI agentOverride;
  private final Function<String, String> env;
  private final Clock clock;
  private final EcsAgentClient agent = new EcsAgentClient();
  private final Map<String, Reading> previous = new HashMap<>();
  private final RateLimitedLog agentLog = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);
  private final RateLimitedLog ec2Log = new RateLimitedLog(LOG, 1, TimeUnit.MINUTES);
  private EcsAgentClient.Instance instance = new EcsAgentClient.Instance("", "");

  /**
   * @param ec2 null in local_mode (no instance metadata)
   * @param agentOverride the agent's base URL; null for the collector's {@code http://<private IP>:51678}
   */
  EcsInstanceCollector(String id, String clusterNameOverride, CgroupReader cgroup, ProcReader proc,
      ProcReader.FsStat fsStat, @Nullable Ec2HostInfo ec2, @Nullable URI agentOverride,
      Function<String, String> env, Clock clock) {
    this.id = id;
    this.clusterNameOverride = clusterNameOverride;
    this.cgroup = cgroup;
    this.proc = proc;
    this.fsStat = fsStat;
    this.ec2 = ec2;
    this.agentOverride = agentOverride;
    this.env = env;
    this.clock = clock;
  }

  ExportMetricsServiceRequest collect() {
    Instant now = clock.instant();
    long nanos = TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
    refreshEc2();
    List<EcsAgentClient.Task> tasks = refreshAgent();

    long cores = proc.numCores();
    long memoryCapacity = proc.memoryCapacity();
    MetricGroup inst = new MetricGroup(MetricGroup.INSTANCE);
    List<MetricGroup> groups = new ArrayList<>();
    cpu(inst, cores, nanos);
    memory(inst, memoryCapacity, nanos);
    network(inst, groups, nanos);
    reservations(inst, tasks);
    groups.add(0, inst);
    fileSystems(groups);
    diskIo(groups, nanos);

    ExportMetricsServiceRequest.Builder out = ExportMetricsServiceRequest.newBuilder();
    for (MetricGroup g : groups) {
      if (!g.fields.isEmpty()) {
        decorate(g, now);
        out.addResourceMetrics(g.toOtlp(nanos));
      }
    }
    return out.build();
  }

  private void refreshEc2() {
    if (ec2 == null) {
      return;
    }
    try {
      // A deadline on the wall clock: the injected clock stamps data, it does not time calls.
      ec2.refreshIdentity(Instant.now().plusSeconds(5));
      ec2.refreshAutoScalingGroup();
    } catch (IOException | RuntimeException e) {
      ec2Log.warn("{}: EC2 instance metadata or tags unavailable, InstanceId/InstanceType/AutoScalingGroupName"
          + " may be missing: {}", id, e.toString());
    }
  }

  /** The running tasks, or an empty list when the agent cannot be asked (metrics go out without it). */
  private List<EcsAgentClient.Task> refreshAgent() {
    URI base = agentOverride;
    if (base == null && ec2 != null && !ec2.privateIp().isEmpty()) {
      base = URI.create("http://" + ec2.privateIp() + ":" + EcsAgentClient.PORT);
    }
    if (base == null) {
      agentLog.warn("{}: the ECS agent's address is unknown (no private IP from instance metadata); metrics go out"
          + " without ClusterName, ContainerInstanceId, running tasks and reservations", id);
      return List.of();
    }
    try {
      if (instance.cluster().isEmpty() || instance.containerInstanceId().isEmpty()) {
        instance = agent.instance(base);
      }
      return agent.runningTasks(base);
    } catch (IOException | RuntimeException e) {
      agentLog.warn("{}: the ECS agent introspection API at {} is unreachable ({}); metrics go out without"
          + " ClusterName/ContainerInstanceId when never read, running tasks and reservations", id, base, e.toString());
      return List.of();
    }
  }

  private void cpu(MetricGroup inst, long cores, long nanos) {
    cgroup.rootCpu().ifPresent(c -> {
      // Nanoseconds of CPU per nanosecond are cores; times 1000 are millicores.
      Double total = rate("cpu_usage_total", c.totalNanos(), nanos, 1000);
      putRate(inst, "cpu_usage_total", total);
      putRate(inst, "cpu_usage_user", rate("cpu_usage_user", c.userNanos(), nanos, 1000));
      putRate(inst, "cpu_usage_system", rate("cpu_usage_system", c.systemNanos(), nanos, 1000));
      if (total != null && cores != 0) {
        inst.put("cpu_utilization", total / (cores * 1000.0) * 100);
      }
      inst.put("cpu_limit", cores * 1000);
    });
  }

  private void memory(MetricGroup inst, long capacity, long nanos) {
    cgroup.rootMemory(proc::swapUsed).ifPresent(m -> {
      inst.put("memory_usage", m.usage());
      inst.put("memory_cache", m.cache());
      inst.put("memory_rss", m.rss());
      inst.put("memory_max_usage", m.maxUsage());
      inst.put("memory_swap", m.swap());
      inst.put("memory_failcnt", m.failcnt());
      inst.put("memory_mapped_file", m.mappedFile());
      inst.put("memory_working_set", m.workingSet());
      putRate(inst, "memory_pgfault", rate("memory_pgfault", m.pgfault(), nanos, 1e9));
      putRate(inst, "memory_pgmajfault", rate("memory_pgmajfault", m.pgmajfault(), nanos, 1e9));
      putRate(inst, "memory_hierarchical_pgfault", rate("memory_hierarchical_pgfault", m.hierarchicalPgfault(),
          nanos, 1e9));
      putRate(inst, "memory_hierarchical_pgmajfault", rate("memory_hierarchical_pgmajfault",
          m.hierarchicalPgmajfault(), nanos, 1e9));
      if (capacity != 0) {
        inst.put("memory_utilization", (double) m.workingSet() / capacity * 100);
      }
      inst.put("memory_limit", capacity);
    });
  }

  /** Per-interface rates, and their sums on the instance over the keys the first interface has. */
  private void network(MetricGroup inst, List<MetricGroup> groups, long nanos) {
    Map<String, Double> sum = null;
    for (ProcReader.Interface i : proc.interfaces()) {
      String key = "net/" + i.name() + "/";
      Map<String, Double> f = new LinkedHashMap<>();
      putIfRate(f, "network_rx_bytes", rate(key + "rx_bytes", i.rxBytes(), nanos, 1e9));
      putIfRate(f, "network_rx_packets", rate(key + "rx_packets", i.rxPackets(), nanos, 1e9));
      putIfRate(f, "network_rx_dropped", rate(key + "rx_dropped", i.rxDropped(), nanos, 1e9));
      putIfRate(f, "network_rx_errors", rate(key + "rx_errors", i.rxErrors(), nanos, 1e9));
      putIfRate(f, "network_tx_bytes", rate(key + "tx_bytes", i.txBytes(), nanos, 1e9));
      putIfRate(f, "network_tx_packets", rate(key + "tx_packets", i.txPackets(), nanos, 1e9));
      putIfRate(f, "network_tx_dropped", rate(key + "tx_dropped", i.txDropped(), nanos, 1e9));
      putIfRate(f, "network_tx_errors", rate(key + "tx_errors", i.txErrors(), nanos, 1e9));
      if (f.containsKey("network_rx_bytes") && f.containsKey("network_tx_bytes")) {
        f.put("network_total_bytes", f.get("network_rx_bytes") + f.get("network_tx_bytes"));
      }
      MetricGroup g = new MetricGroup(MetricGroup.INSTANCE_NET);
      g.tags.put("interface", i.name());
      f.forEach(g::put);
      groups.add(g);
      if (sum == null) {
        sum = new LinkedHashMap<>(f);
      } else {
        for (Map.Entry<String, Double> e : sum.entrySet()) {
          Double v = f.get(e.getKey());
          if (v != null) {
            e.setValue(e.getValue() + v);
          }
        }
      }
    }
    if (sum != null) {
      sum.forEach(inst::put);
    }
  }

  /**
   * The share of the instance's CPU (1024 shares a core) and memory that running tasks reserve, and
   * their count; a task at the default 2 shares reserves no CPU. Without the agent both shares are 0,
   * as in the collector.
   */
  private void reservations(MetricGroup inst, List<EcsAgentClient.Task> tasks) {
    long cpuReserved = 0;
    long memoryReserved = 0;
    String cluster = instance.cluster();
    for (EcsAgentClient.Task t : tasks) {
      String taskId = EcsAgentClient.containerInstanceId(t.arn());
      if (taskId.isEmpty()) {
        continue;
      }
      long cpu = cgroup.taskCpuReserved(taskId, cluster);
      if (cpu > 2) {
        cpuReserved += cpu;
      }
      memoryReserved += cgroup.taskMemoryReserved(taskId, cluster, t.dockerIds());
    }
    Number cpuLimit = inst.fields.get("instance_cpu_limit");
    Number memoryLimit = inst.fields.get("instance_memory_limit");
    if (cpuLimit != null && cpuLimit.longValue() > 0) {
      // cpu_limit is in millicores; the cgroup counts 1024 shares a core.
      inst.put("cpu_reserved_capacity", cpuReserved / (cpuLimit.longValue() * 1.024) * 100);
    }
    if (memoryLimit != null && memoryLimit.longValue() > 0) {
      inst.put("memory_reserved_capacity", (double) memoryReserved / memoryLimit.longValue() * 100);
    }
    if (!tasks.isEmpty()) {
      inst.put("number_of_running_tasks", (long) tasks.size());
    }
  }

  private void fileSystems(List<MetricGroup> groups) {
    for (ProcReader.Mount m : proc.mounts()) {
      if (!FS_DEVICES.matcher(m.device()).matches()) {
        continue;
      }
      ProcReader.FsSpace s;
      try {
        s = fsStat.stat(m.mountPoint());
      } catch (IOException | RuntimeException e) {
        LOG.debug("{}: cannot measure {} at {}: {}", id, m.device(), m.mountPoint(), e.toString());
        continue;
      }
      MetricGroup g = new MetricGroup(MetricGroup.INSTANCE_FS);
      g.tags.put("device", m.device());
      // cAdvisor's type of every block or memory file system but ZFS.
      g.tags.put("fstype", m.type().equals("zfs") ? "zfs" : "vfs");
      long usage = s.total() - s.free();
      g.put("filesystem_usage", usage);
      g.put("filesystem_capacity", s.total());
      g.put("filesystem_available", s.available());
      if (s.total() != 0) {
        g.put("filesystem_utilization", (double) usage / s.total() * 100);
      }
      groups.add(g);
    }
  }

  private void diskIo(List<MetricGroup> groups, long nanos) {
    Map<String, String> names = proc.blockDevices();
    for (CgroupReader.DiskIo d : cgroup.rootDiskIo()) {
      String device = names.getOrDefault(d.majorMinor(), d.majorMinor());
      MetricGroup g = new MetricGroup(MetricGroup.INSTANCE_DISKIO);
      g.tags.put("device", device);
      for (String op : DISK_OPS) {
        String lower = op.toLowerCase(Locale.ROOT);
        Long bytes = d.serviceBytes().get(op);
        if (bytes != null) {
          putRate(g, "diskio_io_service_bytes_" + lower, rate("diskio/" + device + "/bytes/" + op, bytes, nanos, 1e9));
        }
        Long ops = d.serviced().get(op);
        if (ops != null) {
          putRate(g, "diskio_io_serviced_" + lower, rate("diskio/" + device + "/ops/" + op, ops, nanos, 1e9));
        }
      }
      groups.add(g);
    }
  }

  /** The attributes every group carries, as the collector decorates them in ECS mode. */
  private void decorate(MetricGroup g, Instant now) {
    g.tags.put("Timestamp", Long.toString(now.toEpochMilli()));
    g.tags.put("Version", "0");
    String nodeName = env.apply("HOST_NAME");
    if (nodeName != null && !nodeName.isEmpty()) {
      g.tags.put("NodeName", nodeName);
    }
    if (ec2 != null && !ec2.instanceId().isEmpty()) {
      g.tags.put("InstanceId", ec2.instanceId());
    }
    if (ec2 != null && !ec2.instanceType().isEmpty()) {
      g.tags.put("InstanceType", ec2.instanceType());
    }
    g.tags.put("AutoScalingGroupName", ec2 == null ? "" : ec2.autoScalingGroup());
    String cluster = clusterNameOverride.isEmpty() ? instance.cluster() : clusterNameOverride;
    if (!cluster.isEmpty()) {
      g.tags.put("ClusterName", cluster);
    }
    if (!instance.containerInstanceId().isEmpty()) {
      g.tags.put("ContainerInstanceId", instance.containerInstanceId());
    }
    g.tags.put("Sources", SOURCES.get(g.type));
  }

  /**
   * The per-nanosecond rate of a counter since its previous reading, times {@code multiplier};
   * null for the first reading, a reading too close to the previous one, or a counter that went back.
   */
  @Nullable
  private Double rate(String key, double value, long nanos, double multiplier) {
    Reading prev = previous.put(key, new Reading(value, nanos));
    if (prev == null) {
      return null;
    }
    long gap = nanos - prev.nanos();
    double delta = value - prev.value();
    return gap > MIN_RATE_GAP_NANOS && delta >= 0 ? delta / gap * multiplier : null;
  }

  private static void putRate(MetricGroup g, String measurement, @Nullable Double rate) {
    if (rate != null) {
      g.put(measurement, rate);
    }
  }

  private static void putIfRate(Map<String, Double> f, String measurement, @Nullable Double rate) {
    if (rate != null) {
      f.put(measurement, rate);
    }
  }
}
