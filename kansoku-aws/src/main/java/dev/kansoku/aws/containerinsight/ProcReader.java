package dev.kansoku.aws.containerinsight;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host's {@code /proc} (or the directory it is mounted at, e.g. {@code /rootfs/proc} in the
 * collector's ECS task): memory and CPU capacity, network interface counters, mounted file systems
 * and block device names. Stateless; thread-safe.
 */
final class ProcReader {
  /** Interfaces cAdvisor leaves out of a container's network stats: loopback and container-side links. */
  private static final List<String> IGNORED_INTERFACES = List.of("lo", "veth", "docker", "nerdctl");
  /** The file systems cAdvisor reports (ext* and nfs* by prefix). */
  private static final Set<String> FS_TYPES = Set.of("btrfs", "overlay", "tmpfs", "xfs", "zfs");

  record Interface(String name, long rxBytes, long rxPackets, long rxErrors, long rxDropped,
      long txBytes, long txPackets, long txErrors, long txDropped) {}

  record Mount(String device, String mountPoint, String type) {}

  /** Sizes in bytes of one file system: total, free (for root too) and available to unprivileged users. */
  record FsSpace(long total, long free, long available) {}

  /** Measures the file system mounted at a host path; production asks Java's {@link FileStore}. */
  @FunctionalInterface
  interface FsStat {
    FsSpace stat(String mountPoint) throws IOException;
  }

  private final Path proc;

  ProcReader(Path proc) {
    this.proc = proc;
  }

  /** MemTotal in bytes, 0 when unknown. */
  long memoryCapacity() {
    Long kb = meminfo().get("MemTotal");
    return kb == null ? 0 : kb * 1024;
  }

  /** Swap in use (SwapTotal - SwapFree) in bytes. */
  long swapUsed() {
    Map<String, Long> m = meminfo();
    return Math.max(0, m.getOrDefault("SwapTotal", 0L) - m.getOrDefault("SwapFree", 0L)) * 1024;
  }

  private Map<String, Long> meminfo() {
    Map<String, Long> m = new HashMap<>();
    for (String line : CgroupReader.lines(proc.resolve("meminfo"))) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        String[] v = line.substring(colon + 1).trim().split("\\s+");
        Long n = CgroupReader.parse(v[0]);
        if (n != null) {
          m.put(line.substring(0, colon), n);
        }
      }
    }
    return m;
  }

  /** Logical CPUs: the processor entries of cpuinfo (as gopsutil counts them), else the cpuN lines of stat. */
  long numCores() {
    long n = CgroupReader.lines(proc.resolve("cpuinfo")).stream()
        .filter(l -> l.startsWith("processor") && l.contains(":")).count();
    if (n > 0) {
      return n;
    }
    return CgroupReader.lines(proc.resolve("stat")).stream().filter(l -> l.matches("cpu\\d+\\s.*")).count();
  }

  /** The host network namespace's interfaces (PID 1's, as cAdvisor reads for the root container). */
  List<Interface> interfaces() {
    Path file = proc.resolve("1/net/dev");
    if (!Files.exists(file)) {
      file = proc.resolve("net/dev");
    }
    List<Interface> out = new ArrayList<>();
    for (String line : CgroupReader.lines(file)) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      if (IGNORED_INTERFACES.stream().anyMatch(name::startsWith)) {
        continue;
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 16) {
        continue;
      }
      long[] v = new long[16];
      for (int i = 0; i < 16; i++) {
        Long n = CgroupReader.parse(f[i]);
        v[i] = n == null ? 0 : n;
      }
      // Columns: rx bytes packets errs drop fifo frame compressed multicast, then tx bytes packets errs drop ...
      out.add(new Interface(name, v[0], v[1], v[2], v[3], v[8], v[9], v[10], v[11]));
    }
    return out;
  }

  /**
   * The mounted file systems cAdvisor measures: ext*, nfs*, btrfs, overlay, tmpfs, xfs, zfs; one
   * entry per device (bind mounts of a device already seen are skipped), a tmpfs named by its
   * mount point, an overlay by its source and mount point (cAdvisor's renaming, which is why no
   * overlay passes the receiver's device allow-list).
   */
  List<Mount> mounts() {
    Path file = proc.resolve("1/mounts");
    if (!Files.exists(file)) {
      file = proc.resolve("mounts");
    }
    Map<String, Mount> byDevice = new LinkedHashMap<>();
    for (String line : CgroupReader.lines(file)) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) {
        continue;
      }
      String type = f[2];
      if (!type.startsWith("ext") && !type.startsWith("nfs") && !FS_TYPES.contains(type)) {
        continue;
      }
      String mountPoint = f[1].replace("\\040", " ");
      String device = switch (type) {
        case "tmpfs" -> mountPoint;
        case "overlay" -> f[0] + "_" + mountPoint;
        default -> f[0];
      };
      byDevice.putIfAbsent(device, new Mount(device, mountPoint, type));
    }
    return new ArrayList<>(byDevice.values());
  }

  /** Block device names by "major:minor", from diskstats, as cAdvisor names the devices of blkio stats. */
  Map<String, String> blockDevices() {
    Map<String, String> m = new HashMap<>();
    for (String line : CgroupReader.lines(proc.resolve("diskstats"))) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3) {
        m.put(f[0] + ":" + f[1], "/dev/" + f[2]);
      }
    }
    return m;
  }

  /** Measures a host mount point through Java's FileStore, below {@code hostRoot} (the parent of a mounted /proc). */
  static FsStat fileStores(Path hostRoot) {
    return mountPoint -> {
      Path p = hostRoot.resolve(mountPoint.startsWith("/") ? mountPoint.substring(1) : mountPoint);
      FileStore store = Files.getFileStore(p);
      return new FsSpace(store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace());
    };
  }
}
