package dev.kansoku.bench;

import com.linecorp.armeria.common.util.EventLoopGroups;
import io.netty.channel.EventLoopGroup;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends a {@link RequestPool} to an OTLP endpoint over N connections for a given time and reports
 * what the server accepted. Each connection has {@code inFlight} sending threads; each thread sends
 * one request, waits for its answer, then sends the next (closed loop, as an SDK exporter does).
 * With a rate, a shared pacer hands out send times so the total is {@code rate} items per second.
 *
 * <p>The client's network I/O runs on {@code clientThreads} event loops shared by all connections,
 * so the client takes little CPU from a server on the same machine.
 */
final class LoadGenerator implements AutoCloseable {
  /** What to send and how; {@code rate} is items per second, 0 for as fast as the server answers. */
  record Options(Protocol protocol, URI endpoint, int connections, int inFlight, long rate, int clientThreads,
      List<Map.Entry<String, String>> headers) {}

  private final Options options;
  private final RequestPool pool;
  private final EventLoopGroup workers;
  private final List<Connection> connections = new ArrayList<>();
  private final AtomicLong nextRequest = new AtomicLong();

  LoadGenerator(Options options, RequestPool pool) {
    this.options = options;
    this.pool = pool;
    this.workers = EventLoopGroups.newEventLoopGroup(options.clientThreads(), "loadgen", true);
    for (int i = 0; i < options.connections(); i++) {
      connections.add(new Connection(options.protocol(), options.endpoint(), workers, options.headers()));
    }
  }

  Options options() {
    return options;
  }

  RequestPool pool() {
    return pool;
  }

  /** Sends for {@code duration} and returns what happened; may be called again (e.g. after a warm-up). */
  LoadReport run(Duration duration) throws InterruptedException {
    Stats stats = new Stats();
    long clientCpu0 = Cpu.threadsNamed("loadgen");
    long processCpu0 = Cpu.process();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    double avgItems = pool.averageItems();
    long interval = options.rate() == 0 ? 0 : (long) (1e9 * avgItems / options.rate());
    AtomicLong nextSlot = new AtomicLong(start);
    List<Thread> threads = new ArrayList<>();
    List<LatencyHistogram> histograms = new ArrayList<>();
    for (int c = 0; c < connections.size(); c++) {
      for (int f = 0; f < options.inFlight(); f++) {
        Connection conn = connections.get(c);
        LatencyHistogram h = new LatencyHistogram();
        histograms.add(h);
        Thread t = new Thread(() -> lane(conn, h, stats, end, interval, nextSlot), "lane-" + c + "-" + f);
        t.setDaemon(true);
        threads.add(t);
      }
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    long elapsed = System.nanoTime() - start;
    stats.clientCpu.add(Cpu.threadsNamed("loadgen") - clientCpu0);
    stats.processCpu.add(Cpu.process() - processCpu0);
    LatencyHistogram all = new LatencyHistogram();
    histograms.forEach(all::add);
    return stats.report(elapsed, all);
  }

  private void lane(Connection conn, LatencyHistogram latency, Stats stats, long end, long interval,
      AtomicLong nextSlot) {
    try {
      send(conn, latency, stats, end, interval, nextSlot);
    } finally {
      stats.clientCpu.add(Cpu.currentThread());
    }
  }

  private void send(Connection conn, LatencyHistogram latency, Stats stats, long end, long interval,
      AtomicLong nextSlot) {
    while (true) {
      long now = System.nanoTime();
      if (interval > 0) {
        long slot = nextSlot.getAndAdd(interval);
        if (slot < now - TimeUnit.SECONDS.toNanos(1)) {
          // Fell far behind (slow server): do not burst to catch up, restart pacing from now.
          nextSlot.set(now + interval);
          slot = now;
        }
        while ((now = System.nanoTime()) < slot) {
          if (slot >= end) {
            return;
          }
          LockSupport.parkNanos(slot - now);
        }
      }
      if (now >= end) {
        return;
      }
      RequestPool.Request req = pool.get(nextRequest.getAndIncrement());
      long t0 = System.nanoTime();
      Connection.Outcome outcome = conn.send(req).join();
      latency.record((System.nanoTime() - t0) / 1_000);
      stats.record(req, outcome);
    }
  }

  @Override
  public void close() {
    connections.forEach(Connection::close);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Counters shared by the sending threads of one run. */
  private static final class Stats {
    final LongAdder requests = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder bytes = new LongAdder();
    /** CPU time of the sending threads and the client's event loops, and of the whole process. */
    final LongAdder clientCpu = new LongAdder();
    final LongAdder processCpu = new LongAdder();
    final LongAdder[] sent = adders();
    final LongAdder[] accepted = adders();
    final LongAdder[] rejected = adders();
    final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    private static LongAdder[] adders() {
      LongAdder[] a = new LongAdder[OtlpSignal.values().length];
      for (int i = 0; i < a.length; i++) {
        a[i] = new LongAdder();
      }
      return a;
    }

    void record(RequestPool.Request req, Connection.Outcome outcome) {
      int s = req.signal().ordinal();
      requests.increment();
      bytes.add(req.body().length);
      sent[s].add(req.items());
      if (outcome.ok()) {
        long rej = Math.min(outcome.rejected(), req.items());
        accepted[s].add(req.items() - rej);
        rejected[s].add(rej);
      } else {
        failed.increment();
        errors.computeIfAbsent(outcome.error(), k -> new LongAdder()).increment();
      }
    }

    LoadReport report(long elapsedNanos, LatencyHistogram latency) {
      long[] sentItems = new long[sent.length];
      long[] acceptedItems = new long[sent.length];
      long[] rejectedItems = new long[sent.length];
      for (int i = 0; i < sent.length; i++) {
        sentItems[i] = sent[i].sum();
        acceptedItems[i] = accepted[i].sum();
        rejectedItems[i] = rejected[i].sum();
      }
      Map<String, Long> errs = new TreeMap<>();
      errors.forEach((k, v) -> errs.put(k, v.sum()));
      return new LoadReport(elapsedNanos, requests.sum(), failed.sum(), bytes.sum(), sentItems, acceptedItems,
          rejectedItems, errs, latency, clientCpu.sum(), processCpu.sum());
    }
  }
}
