package dev.kansoku.contrib.statsdreceiver;

import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The StatsD listener: UDP datagrams (or TCP streams) of newline-separated lines, aggregated by
 * {@link StatsdAggregator} and handed to the metrics pipelines once per {@code aggregation_interval},
 * on a timer thread.
 *
 * <p>StatsD has no acknowledgement: a malformed line is dropped and counted (one warning per interval
 * at most) while the rest of its datagram is kept; a datagram the memory_limiter refuses is dropped
 * whole; metrics the pipeline refuses at flush are dropped and counted. On shutdown the interval in
 * progress is flushed, so what was received is delivered.
 *
 * <p>Thread-safety: {@link #start} and {@link #shutdown} may be called from any thread; the listener,
 * connection and timer threads share only the (synchronized) aggregator and atomic counters.
 */
final class StatsdReceiver implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(StatsdReceiver.class);
  /** The largest UDP payload (IPv6); one byte more tells a truncated datagram apart. */
  private static final int MAX_DATAGRAM = 65527;
  /** A TCP line longer than this without a newline is dropped, so one bad client cannot grow the heap. */
  static final int MAX_TCP_LINE = 64 * 1024;
  private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
  /** Heap a datagram takes while it is read and parsed, per byte (the bytes, their String, the parts). */
  private static final int HEAP_PER_BYTE = 6;
  private static final long JOIN_MILLIS = 5_000;

  private final String id;
  private final StatsdReceiverConfig config;
  private final StatsdAggregator aggregator;
  @Nullable private final DataConsumer<ExportMetricsServiceRequest> next;
  private final Admission admission;
  private final RateLimitedLog rejectedLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog refusedLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final AtomicLong lines = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong points = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
  private final Object lock = new Object();
  @Nullable private DatagramChannel udp;
  @Nullable private ServerSocketChannel tcp;
  @Nullable private Thread listener;
  @Nullable private ScheduledExecutorService timer;

  StatsdReceiver(String id, StatsdReceiverConfig config, Consumers consumers, StatsdAggregator aggregator) {
    this.id = id;
    this.config = config;
    this.aggregator = aggregator;
    this.next = consumers.get(Signal.METRICS).orElse(null);
    this.admission = consumers.admission(Signal.METRICS);
  }

  @Override
  public void start(Host host) throws IOException {
    synchronized (lock) {
      if (listener != null) {
        return;
      }
      InetSocketAddress address = config.bindAddress();
      if (address.isUnresolved()) {
        address = new InetSocketAddress(address.getHostString(), address.getPort());
      }
      String transport = config.transport();
      StandardProtocolFamily family = transport.endsWith("6") ? StandardProtocolFamily.INET6
          : transport.endsWith("4") ? StandardProtocolFamily.INET : null;
      try {
        if (transport.startsWith("udp")) {
          DatagramChannel ch = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
          udp = ch;
          ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
          ch.bind(address);
          listener = new Thread(() -> readDatagrams(ch), "statsd-receiver-" + id);
        } else {
          ServerSocketChannel ch = family == null ? ServerSocketChannel.open() : ServerSocketChannel.open(family);
          tcp = ch;
          ch.bind(address);
          listener = new Thread(() -> accept(ch), "statsd-receiver-" + id);
        }
      } catch (IOException | RuntimeException e) {
        closeQuietly();
        throw new IllegalStateException("endpoint: cannot listen on " + transport + " " + config.endpoint + ": "
            + e.getMessage(), e);
      }
      listener.setDaemon(true);
      listener.start();
      long every = config.aggregationInterval.toNanos();
      timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "statsd-receiver-" + id + "-flush");
        t.setDaemon(true);
        return t;
      });
      timer.scheduleAtFixedRate(this::flush, every, every, TimeUnit.NANOSECONDS);
      log.info("statsd receiver {}: listening on {} {}, aggregating every {}", id, transport, port(),
          config.aggregationInterval);
    }
  }

  private void readDatagrams(DatagramChannel ch) {
    ByteBuffer buffer = ByteBuffer.allocate(MAX_DATAGRAM + 1);
    while (true) {
      buffer.clear();
      InetSocketAddress from;
      try {
        from = (InetSocketAddress) ch.receive(buffer);
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!ch.isOpen()) {
          return;
        }
        rejectedLog.warn("statsd receiver {}: udp read failed", id, e);
        continue;
      }
      if (from != null) {
        handle(buffer.array(), Math.min(buffer.position(), MAX_DATAGRAM), sender(from), false);
      }
    }
  }

  private void accept(ServerSocketChannel server) {
    while (true) {
      SocketChannel c;
      try {
        c = server.accept();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        if (!server.isOpen()) {
          return;
        }
        rejectedLog.warn("statsd receiver {}: tcp accept failed", id, e);
        continue;
      }
      connections.add(c);
      Thread t = new Thread(() -> readStream(server, c), "statsd-receiver-" + id + "-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  /** Lines of one TCP connection; as upstream, every connection counts as the listener's own address. */
  private void readStream(ServerSocketChannel server, SocketChannel c) {
    String sender;
    try {
      sender = sender((InetSocketAddress) server.getLocalAddress());
    } catch (IOException e) {
      sender = "";
    }
    ByteBuffer buffer = ByteBuffer.allocate(MAX_TCP_LINE + 1);
    try (c) {
      while (c.read(buffer) >= 0) {
        int end = lastNewline(buffer);
        if (end >= 0) {
          handle(buffer.array(), end, sender, true);
          buffer.flip().position(end + 1);
          buffer.compact();
        } else if (!buffer.hasRemaining()) {
          rejected.incrementAndGet();
          rejectedLog.warn("statsd receiver {}: dropped a tcp line longer than {} bytes", id, MAX_TCP_LINE);
          buffer.clear();
        }
      }
      if (buffer.position() > 0) {
        handle(buffer.array(), buffer.position(), sender, true);
      }
    } catch (IOException e) {
      if (c.isOpen()) {
        rejectedLog.warn("statsd receiver {}: tcp read failed", id, e);
      }
    } finally {
      connections.remove(c);
    }
  }

  private static int lastNewline(ByteBuffer b) {
    for (int i = b.position() - 1; i >= 0; i--) {
      if (b.get(i) == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** The aggregation key of a sender: its address, its IP alone, or one key for all (ignore_host). */
  private String sender(InetSocketAddress a) {
    if (config.ignoreHost) {
      return "";
    }
    String ip = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return config.enableIpOnlyAggregation ? ip : ip + ":" + a.getPort();
  }

  /**
   * Aggregates the lines of one datagram (or a run of TCP lines); never throws, so one bad sender
   * cannot stop the listener. UDP lines are taken as they are, TCP lines trimmed, as upstream's.
   */
  void handle(byte[] data, int length, String sender, boolean trim) {
    try (Admission.Permit permit = admission.admit((long) length * HEAP_PER_BYTE)) {
      String text = new String(data, 0, length, StandardCharsets.UTF_8);
      int start = 0;
      while (start <= text.length()) {
        int nl = text.indexOf('\n', start);
        String line = text.substring(start, nl < 0 ? text.length() : nl);
        start = nl < 0 ? text.length() + 1 : nl + 1;
        line = trim ? line.strip() : line;
        if (line.isEmpty()) {
          continue;
        }
        try {
          aggregator.aggregate(line, sender);
          lines.incrementAndGet();
        } catch (IllegalArgumentException e) {
          rejected.incrementAndGet();
          rejectedLog.warn("statsd receiver {}: dropped a line from {}: {}", id, sender, e.getMessage());
        }
      }
    } catch (ConsumeException e) {
      refused.incrementAndGet();
      refusedLog.warn("statsd receiver {}: dropped {} bytes from {} ({}): {}", id, length, sender, e.reason(),
          e.getMessage());
    }
  }

  /** Hands the interval's metrics to the pipeline; the timer's task, and the last act of shutdown. */
  void flush() {
    List<ExportMetricsServiceRequest> batches;
    try {
      batches = aggregator.flush();
    } catch (RuntimeException e) {
      log.warn("statsd receiver {}: aggregation failed", id, e);
      return;
    }
    if (next == null) {
      return;
    }
    for (ExportMetricsServiceRequest batch : batches) {
      int count = Signal.METRICS.count(batch);
      try {
        next.consume(batch);
        points.addAndGet(count);
      } catch (ConsumeException e) {
        dropped.addAndGet(count);
        refusedLog.warn("statsd receiver {}: pipeline refused {} data points ({}): {}", id, count, e.reason(),
            e.getMessage());
      } catch (RuntimeException e) {
        dropped.addAndGet(count);
        refusedLog.warn("statsd receiver {}: pipeline failed on {} data points", id, count, e);
      }
    }
  }

  /** The bound port, or -1 before start and after shutdown. */
  int port() {
    synchronized (lock) {
      try {
        if (udp != null) {
          return ((InetSocketAddress) udp.getLocalAddress()).getPort();
        }
        if (tcp != null) {
          return ((InetSocketAddress) tcp.getLocalAddress()).getPort();
        }
      } catch (IOException e) {
        return -1;
      }
      return -1;
    }
  }

  /** Lines aggregated. */
  long lines() {
    return lines.get();
  }

  /** Malformed lines dropped. */
  long rejected() {
    return rejected.get();
  }

  /** Datagrams (or TCP runs) the memory_limiter refused. */
  long refused() {
    return refused.get();
  }

  @Override
  public void shutdown() {
    Thread t;
    ScheduledExecutorService s;
    synchronized (lock) {
      t = listener;
      s = timer;
      listener = null;
      timer = null;
      closeQuietly();
    }
    if (t == null) {
      return;
    }
    long started = System.nanoTime();
    connections.forEach(c -> {
      try {
        c.close();
      } catch (IOException e) {
        log.debug("statsd receiver {}: closing a connection failed", id, e);
      }
    });
    try {
      t.join(JOIN_MILLIS);
      s.shutdown();
      s.awaitTermination(JOIN_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flush();
    log.info("statsd receiver {}: stopped in {} ms ({} lines, {} rejected, {} refused, {} data points delivered,"
        + " {} dropped)", id, Duration.ofNanos(System.nanoTime() - started).toMillis(), lines.get(), rejected.get(),
        refused.get(), points.get(), dropped.get());
  }

  /** Closes the sockets, which wakes the listener out of receive() or accept(). Holds {@link #lock}. */
  private void closeQuietly() {
    List<java.nio.channels.Channel> channels = new ArrayList<>();
    if (udp != null) {
      channels.add(udp);
    }
    if (tcp != null) {
      channels.add(tcp);
    }
    udp = null;
    tcp = null;
    for (java.nio.channels.Channel ch : channels) {
      try {
        ch.close();
      } catch (IOException e) {
        log.warn("statsd receiver {}: closing the socket failed", id, e);
      }
    }
  }
}
