package dev.kansoku.aws.containerinsight;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;
import javax.annotation.Nullable;

/**
 * The host's root cgroup and the ECS tasks' cgroups, in the v1 layout (one hierarchy per controller:
 * {@code cpuacct/}, {@code memory/}, {@code blkio/}, ECS tasks under {@code <controller>/ecs/<task-id>})
 * or the v2 layout ({@code cgroup.controllers} at the root, ECS tasks under
 * {@code ecstasks.slice/ecstasks-<task-id>.slice}). Root figures follow what cAdvisor reports for
 * the root container (through runc's libcontainer), which the collector's receiver embeds.
 * Stateless; thread-safe.
 */
final class CgroupReader {
  /** What the kernel writes in memory.limit_in_bytes for "no limit" (v1), as the collector checks. */
  static final long V1_NO_LIMIT = 9223372036854771712L;
  /** USER_HZ: cpuacct.stat counts in ticks of 1/100 s. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  record Cpu(long totalNanos, long userNanos, long systemNanos) {}

  /** cAdvisor's memory stats of a container; bytes, except the counters. */
  record Memory(long usage, long maxUsage, long cache, long rss, long swap, long failcnt, long mappedFile,
      long workingSet, long pgfault, long pgmajfault, long hierarchicalPgfault, long hierarchicalPgmajfault) {}

  /** Per-device counters keyed by operation (Read, Write, Sync, Async, Total), as blkio names them. */
  record DiskIo(String majorMinor, Map<String, Long> serviceBytes, Map<String, Long> serviced) {}

  private final Path root;
  private final boolean v2;

  CgroupReader(Path root) {
    this.root = root;
    this.v2 = Files.exists(root.resolve("cgroup.controllers"));
  }

  boolean v2() {
    return v2;
  }

  Path root() {
    return root;
  }

  Optional<Cpu> rootCpu() {
    if (v2) {
      Map<String, Long> stat = keyed(root.resolve("cpu.stat"));
      Long usage = stat.get("usage_usec");
      return usage == null ? Optional.empty() : Optional.of(new Cpu(usage * 1000,
          stat.getOrDefault("user_usec", 0L) * 1000, stat.getOrDefault("system_usec", 0L) * 1000));
    }
    Path dir = controller("cpuacct");
    Long usage = readLong(dir.resolve("cpuacct.usage"));
    if (usage == null) {
      return Optional.empty();
    }
    Map<String, Long> stat = keyed(dir.resolve("cpuacct.stat"));
    return Optional.of(new Cpu(usage, stat.getOrDefault("user", 0L) * NANOS_PER_TICK,
        stat.getOrDefault("system", 0L) * NANOS_PER_TICK));
  }

  /** The root's memory; on v2 the root has no memory.current, so usage comes from memory.stat and swap from meminfo. */
  Optional<Memory> rootMemory(LongSupplier swapUsedFromMeminfo) {
    Path dir = v2 ? root : controller("memory");
    Map<String, Long> stat = keyed(dir.resolve("memory.stat"));
    if (stat.isEmpty()) {
      return Optional.empty();
    }
    if (v2) {
      Long current = readLong(dir.resolve("memory.current"));
      long usage = current != null ? current : stat.getOrDefault("anon", 0L) + stat.getOrDefault("file", 0L);
      Long swapCurrent = readLong(dir.resolve("memory.swap.current"));
      long swap = current != null ? (swapCurrent == null ? 0 : swapCurrent) : swapUsedFromMeminfo.getAsLong();
      Long peak = readLong(dir.resolve("memory.peak"));
      long pgfault = stat.getOrDefault("pgfault", 0L);
      long pgmajfault = stat.getOrDefault("pgmajfault", 0L);
      return Optional.of(new Memory(usage, peak == null ? 0 : peak, stat.getOrDefault("file", 0L),
          stat.getOrDefault("anon", 0L), swap, 0, stat.getOrDefault("file_mapped", 0L),
          workingSet(usage, stat.get("inactive_file")), pgfault, pgmajfault, pgfault, pgmajfault));
    }
    long usage = orZero(readLong(dir.resolve("memory.usage_in_bytes")));
    Long useHierarchy = readLong(dir.resolve("memory.use_hierarchy"));
    boolean hierarchy = useHierarchy == null || useHierarchy == 1;
    String p = hierarchy ? "total_" : "";
    long pgfault = stat.getOrDefault("pgfault", 0L);
    long pgmajfault = stat.getOrDefault("pgmajfault", 0L);
    return Optional.of(new Memory(usage, orZero(readLong(dir.resolve("memory.max_usage_in_bytes"))),
        stat.getOrDefault(p + "cache", 0L), stat.getOrDefault(p + "rss", 0L), stat.getOrDefault(p + "swap", 0L),
        orZero(readLong(dir.resolve("memory.failcnt"))), stat.getOrDefault(p + "mapped_file", 0L),
        workingSet(usage, stat.get("total_inactive_file")), pgfault, pgmajfault,
        stat.getOrDefault("total_pgfault", pgfault), stat.getOrDefault("total_pgmajfault", pgmajfault)));
  }

  /** cAdvisor's working set: usage less the inactive file cache, never below zero. */
  private static long workingSet(long usage, @Nullable Long inactiveFile) {
    if (inactiveFile == null) {
      return usage;
    }
    return usage < inactiveFile ? 0 : usage - inactiveFile;
  }

  /** The root's block I/O counters per device: blkio's recursive (else throttle) files on v1, io.stat on v2. */
  List<DiskIo> rootDiskIo() {
    Map<String, Map<String, Long>> bytes = new LinkedHashMap<>();
    Map<String, Map<String, Long>> ops = new LinkedHashMap<>();
    if (v2) {
      for (String line : lines(root.resolve("io.stat"))) {
        String[] f = line.trim().split("\\s+");
        for (int i = 1; i < f.length; i++) {
          int eq = f[i].indexOf('=');
          if (eq < 0) {
            continue;
          }
          String key = f[i].substring(0, eq);
          Long v = parse(f[i].substring(eq + 1));
          if (v == null) {
            continue;
          }
          // libcontainer maps rbytes/wbytes and rios/wios to the Read/Write operations of v1.
          switch (key) {
            case "rbytes" -> bytes.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put("Read", v);
            case "wbytes" -> bytes.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put("Write", v);
            case "rios" -> ops.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put("Read", v);
            case "wios" -> ops.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put("Write", v);
            default -> { }
          }
        }
      }
    } else {
      Path dir = controller("blkio");
      blkio(dir, "blkio.io_service_bytes_recursive", "blkio.throttle.io_service_bytes", bytes);
      blkio(dir, "blkio.io_serviced_recursive", "blkio.throttle.io_serviced", ops);
    }
    List<DiskIo> out = new ArrayList<>();
    Set<String> devices = new LinkedHashSet<>(bytes.keySet());
    devices.addAll(ops.keySet());
    for (String d : devices) {
      out.add(new DiskIo(d, bytes.getOrDefault(d, Map.of()), ops.getOrDefault(d, Map.of())));
    }
    return out;
  }

  private static void blkio(Path dir, String file, String fallback, Map<String, Map<String, Long>> into) {
    List<String> lines = lines(dir.resolve(file));
    if (lines.stream().noneMatch(l -> l.trim().split("\\s+").length == 3)) {
      lines = lines(dir.resolve(fallback));
    }
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      Long v = f.length == 3 ? parse(f[2]) : null;
      if (v != null) {
        into.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], v);
      }
    }
  }

  /**
   * CPU reserved by one task in cgroup shares (1024 = one vCPU): a hard limit (quota / period) when
   * set, else the shares. On v2 the weight is turned back into shares by inverting runc's
   * shares-to-weight conversion.
   */
  long taskCpuReserved(String taskId, String clusterName) {
    if (v2) {
      Path dir = v2TaskDir(taskId);
      String[] max = readString(dir.resolve("cpu.max")).split("\\s+");
      if (max.length == 2 && !max[0].equals("max")) {
        Long quota = parse(max[0]);
        Long period = parse(max[1]);
        if (quota != null && period != null && period > 0) {
          return (long) Math.ceil(1024.0 * quota / period);
        }
      }
      Long weight = readLong(dir.resolve("cpu.weight"));
      return weight == null ? 0 : 2 + ((weight - 1) * 262142) / 9999;
    }
    Path dir = v1TaskDir("cpu", taskId, clusterName);
    if (dir == null) {
      return 0;
    }
    Long quota = readLong(dir.resolve("cpu.cfs_quota_us"));
    Long period = readLong(dir.resolve("cpu.cfs_period_us"));
    if (quota != null && quota != -1 && period != null && period > 0) {
      return (long) Math.ceil(1024.0 * quota / period);
    }
    return orZero(readLong(dir.resolve("cpu.shares")));
  }

  /**
   * Memory reserved by one task in bytes: the task's limit when set, else the sum over its
   * containers of the soft limit (reservation), else the hard limit.
   */
  long taskMemoryReserved(String taskId, String clusterName, List<String> dockerIds) {
    Path dir;
    String limit;
    String soft;
    if (v2) {
      dir = v2TaskDir(taskId);
      limit = "memory.max";
      soft = "memory.low";
    } else {
      dir = v1TaskDir("memory", taskId, clusterName);
      limit = "memory.limit_in_bytes";
      soft = "memory.soft_limit_in_bytes";
    }
    if (dir == null) {
      return 0;
    }
    Long task = limitValue(dir.resolve(limit));
    if (task != null) {
      return task;
    }
    long sum = 0;
    for (String docker : dockerIds) {
      Path c = v2 ? dir.resolve("docker-" + docker + ".scope") : dir.resolve(docker);
      Long s = limitValue(c.resolve(soft));
      Long h = s != null ? s : limitValue(c.resolve(limit));
      sum += orZero(h);
    }
    return sum;
  }

  /** A limit file's value, or null when unset ("max", the v1 no-limit value, 0 for memory.low, or absent). */
  @Nullable
  private static Long limitValue(Path file) {
    Long v = readLong(file);
    return v == null || v == V1_NO_LIMIT || v == 0 ? null : v;
  }

  private Path v2TaskDir(String taskId) {
    return root.resolve("ecstasks.slice").resolve("ecstasks-" + taskId + ".slice");
  }

  /** The task's v1 directory, or the older layout with the cluster name (ECS agent before 1.41). */
  @Nullable
  private Path v1TaskDir(String controller, String taskId, String clusterName) {
    Path dir = controller(controller).resolve("ecs").resolve(taskId);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    if (!clusterName.isEmpty()) {
      Path legacy = controller(controller).resolve("ecs").resolve(clusterName).resolve(taskId);
      if (Files.isDirectory(legacy)) {
        return legacy;
      }
    }
    return null;
  }

  /** A v1 controller's hierarchy; cpu and cpuacct are often co-mounted as cpu,cpuacct. */
  private Path controller(String name) {
    Path dir = root.resolve(name);
    if (Files.isDirectory(dir)) {
      return dir;
    }
    for (String joint : List.of("cpu,cpuacct", "cpuacct,cpu")) {
      if (joint.contains(name) && Files.isDirectory(root.resolve(joint))) {
        return root.resolve(joint);
      }
    }
    return dir;
  }

  // Small readers shared with ProcReader: an absent or unreadable file reads as empty.

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return List.of();
    }
  }

  static String readString(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "";
    }
  }

  @Nullable
  static Long readLong(Path file) {
    return parse(readString(file));
  }

  /** "key value" lines (cpu.stat, memory.stat, cpuacct.stat) as a map. */
  static Map<String, Long> keyed(Path file) {
    Map<String, Long> m = new HashMap<>();
    for (String line : lines(file)) {
      String[] f = line.trim().split("\\s+");
      Long v = f.length == 2 ? parse(f[1]) : null;
      if (v != null) {
        m.put(f[0], v);
      }
    }
    return m;
  }

  @Nullable
  static Long parse(String s) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static long orZero(@Nullable Long v) {
    return v == null ? 0 : v;
  }
}
