package dev.kansoku.contrib.pprof;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.lang.management.MonitorInfo;
import java.lang.management.RuntimeMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The JVM's answers to pprof's text profiles ({@code ?debug=1|2}), from its management beans:
 * threads for goroutines, the class histogram for the heap, thread counts for threadcreate, and
 * contention times for block and mutex. Stateless; every call reads the JVM afresh.
 */
final class JvmProfiles {
  private JvmProfiles() {}

  /**
   * {@code debug=2}: every thread with its full stack, locks and state, as a thread dump (Go prints
   * each goroutine's stack); {@code debug=1}: identical stacks counted, as Go's
   * {@code goroutine profile: total N} lists.
   */
  static String goroutines(int debug) {
    ThreadInfo[] threads = threads().dumpAllThreads(true, true);
    StringBuilder out = new StringBuilder();
    if (debug >= 2) {
      for (ThreadInfo t : threads) {
        dump(t, out);
      }
      return out.toString();
    }
    Map<List<StackTraceElement>, Integer> counts = new LinkedHashMap<>();
    for (ThreadInfo t : threads) {
      counts.merge(Arrays.asList(t.getStackTrace()), 1, Integer::sum);
    }
    out.append("goroutine profile: total ").append(threads.length).append('\n');
    counts.entrySet().stream().sorted(Map.Entry.<List<StackTraceElement>, Integer>comparingByValue().reversed())
        .forEach(e -> {
          out.append(e.getValue()).append(" @\n");
          e.getKey().forEach(f -> out.append("#\t").append(frame(f)).append('\n'));
          out.append('\n');
        });
    return out.toString();
  }

  private static void dump(ThreadInfo t, StringBuilder out) {
    out.append('"').append(t.getThreadName()).append("\" #").append(t.getThreadId())
        .append(t.isDaemon() ? " daemon" : "").append(" prio=").append(t.getPriority()).append('\n')
        .append("   java.lang.Thread.State: ").append(t.getThreadState()).append('\n');
    StackTraceElement[] stack = t.getStackTrace();
    MonitorInfo[] monitors = t.getLockedMonitors();
    for (int i = 0; i < stack.length; i++) {
      out.append("\tat ").append(frame(stack[i])).append('\n');
      if (i == 0 && t.getLockInfo() != null) {
        out.append("\t- ").append(t.getThreadState() == Thread.State.BLOCKED ? "blocked on " : "waiting on ")
            .append(t.getLockInfo()).append(t.getLockOwnerName() == null ? "" : " owned by \"" + t.getLockOwnerName()
                + "\" #" + t.getLockOwnerId()).append('\n');
      }
      for (MonitorInfo m : monitors) {
        if (m.getLockedStackDepth() == i) {
          out.append("\t- locked ").append(m).append('\n');
        }
      }
    }
    LockInfo[] synchronizers = t.getLockedSynchronizers();
    if (synchronizers.length > 0) {
      out.append("\n   Locked ownable synchronizers:\n");
      for (LockInfo l : synchronizers) {
        out.append("\t- ").append(l).append('\n');
      }
    }
    out.append('\n');
  }

  /** A frame as jstack prints it: class.method(File.java:line), without class loader or module. */
  private static String frame(StackTraceElement f) {
    String where = f.isNativeMethod() ? "Native Method" : f.getFileName() == null ? "Unknown Source"
        : f.getLineNumber() >= 0 ? f.getFileName() + ":" + f.getLineNumber() : f.getFileName();
    return f.getClassName() + "." + f.getMethodName() + "(" + where + ")";
  }

  /** The heap: usage of heap and non-heap memory, then the live-object class histogram (a full GC). */
  static String heap() throws JMException {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    StringBuilder out = new StringBuilder("heap profile (JVM class histogram; objects and bytes by class)\n");
    usage(out, "heap", memory.getHeapMemoryUsage());
    usage(out, "non-heap", memory.getNonHeapMemoryUsage());
    out.append('\n');
    Object histogram = ManagementFactory.getPlatformMBeanServer().invoke(
        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
        new Object[] {new String[0]}, new String[] {String[].class.getName()});
    return out.append(histogram).toString();
  }

  private static void usage(StringBuilder out, String name, MemoryUsage u) {
    out.append("# ").append(name).append(": used=").append(u.getUsed()).append(" committed=").append(u.getCommitted())
        .append(" max=").append(u.getMax()).append('\n');
  }

  /** Thread counts: Go counts the threads the runtime created; the JVM counts threads started. */
  static String threadCreate() {
    ThreadMXBean t = threads();
    return "threadcreate profile: total " + t.getTotalStartedThreadCount() + "\n# live " + t.getThreadCount()
        + "\n# peak " + t.getPeakThreadCount() + "\n# daemon " + t.getDaemonThreadCount() + "\n";
  }

  /**
   * Contention by thread, most first: {@code blocked} (entering monitors: the mutex profile) or
   * {@code waited} (wait, park, sleep: the block profile). Null when monitoring is off.
   */
  static String contention(boolean blocked) {
    ThreadMXBean mx = threads();
    if (!mx.isThreadContentionMonitoringSupported() || !mx.isThreadContentionMonitoringEnabled()) {
      return null;
    }
    List<ThreadInfo> infos = new ArrayList<>(Arrays.asList(mx.dumpAllThreads(false, false)));
    infos.sort(Comparator.comparingLong((ThreadInfo t) -> blocked ? t.getBlockedTime() : t.getWaitedTime()).reversed());
    StringBuilder out = new StringBuilder("--- ").append(blocked ? "mutex" : "block")
        .append(" (JVM thread contention: ").append(blocked ? "monitor enters" : "waits").append(" per thread)\n")
        .append("# count\ttime_ms\tthread\n");
    for (ThreadInfo t : infos) {
      long count = blocked ? t.getBlockedCount() : t.getWaitedCount();
      long time = blocked ? t.getBlockedTime() : t.getWaitedTime();
      if (count > 0) {
        out.append(count).append('\t').append(time).append('\t').append(t.getThreadName()).append('\n');
      }
    }
    return out.toString();
  }

  /** Go's cmdline: the arguments separated by NUL bytes; here the JVM's input arguments, then the command. */
  static String cmdline() {
    RuntimeMXBean rt = ManagementFactory.getRuntimeMXBean();
    List<String> args = new ArrayList<>();
    args.add("java");
    args.addAll(rt.getInputArguments());
    String command = System.getProperty("sun.java.command", "");
    if (!command.isEmpty()) {
      args.addAll(Arrays.asList(command.split(" ")));
    }
    return String.join("\0", args);
  }

  static ThreadMXBean threads() {
    return ManagementFactory.getThreadMXBean();
  }
}
