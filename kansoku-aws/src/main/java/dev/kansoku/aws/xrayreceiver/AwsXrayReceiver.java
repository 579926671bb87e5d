package dev.kansoku.aws.xrayreceiver;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The X-Ray daemon's UDP listener: one daemon thread reads datagrams, translates each segment
 * document and hands it to the traces pipeline before reading the next.
 *
 * <p>UDP has no acknowledgement, so a refused or malformed datagram is counted and logged (at most
 * one warning per interval) and the thread goes on. While the pipeline is slow the kernel's receive
 * buffer absorbs bursts and then drops, as it does for the real daemon.
 *
 * <p>Thread-safety: {@link #start} and {@link #shutdown} may be called from any thread; the counters
 * are read while the listener runs.
 */
final class AwsXrayReceiver implements Receiver {
  private static final Logger log = LoggerFactory.getLogger(AwsXrayReceiver.class);
  // Bursts from many SDK threads arrive faster than one reader drains them; ask for room.
  private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
  private static final long JOIN_TIMEOUT_MILLIS = 5_000;

  private final String id;
  private final AwsXrayReceiverConfig config;
  @Nullable private final DataConsumer<ExportTraceServiceRequest> next;
  private final RateLimitedLog rejectedLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog refusedLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final AtomicLong datagrams = new AtomicLong();
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final Object lock = new Object();
  private final Function<String, String> env;
  @Nullable private DatagramChannel channel;
  @Nullable private Thread reader;
  @Nullable private SamplingProxy proxy;

  AwsXrayReceiver(String id, AwsXrayReceiverConfig config, Consumers consumers) {
    this(id, config, consumers, System::getenv);
  }

  /** @param env environment lookup for the sampling proxy's region and endpoint */
  AwsXrayReceiver(String id, AwsXrayReceiverConfig config, Consumers consumers, Function<String, String> env) {
    this.id = id;
    this.config = config;
    this.next = consumers.get(Signal.TRACES).orElse(null);
    this.env = env;
  }

  @Override
  public void start(Host host) throws IOException {
    synchronized (lock) {
      if (channel != null) {
        return;
      }
      InetSocketAddress address = config.bindAddress();
      if (address.isUnresolved()) {
        address = new InetSocketAddress(address.getHostString(), address.getPort());
      }
      DatagramChannel ch = DatagramChannel.open();
      try {
        ch.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
        ch.bind(address);
      } catch (IOException | RuntimeException e) {
        ch.close();
        throw new IllegalStateException("endpoint: cannot listen on udp " + config.endpoint + ": " + e.getMessage(), e);
      }
      if (config.proxyServer != null) {
        try {
          proxy = SamplingProxy.serve("awsxray receiver " + id, id, config.proxyServer, "proxy_server::", host, env);
        } catch (IOException | RuntimeException e) {
          ch.close();
          throw new IllegalStateException("proxy_server: cannot start on tcp " + config.proxyServer.endpoint + ": "
              + e.getMessage(), e);
        }
      }
      channel = ch;
      reader = new Thread(() -> readLoop(ch), "awsxray-receiver-" + id);
      reader.setDaemon(true);
      reader.start();
      log.info("awsxray receiver {}: listening on udp {}", id, ch.getLocalAddress());
    }
  }

  /** The sampling proxy's TCP port, or -1 when there is none. */
  int proxyPort() {
    synchronized (lock) {
      return proxy == null ? -1 : proxy.port();
    }
  }

  private void readLoop(DatagramChannel ch) {
    // One byte more than the daemon's limit tells a truncated datagram from one that just fits.
    ByteBuffer buffer = ByteBuffer.allocate(SegmentDatagram.MAX_SIZE + 1);
    while (true) {
      buffer.clear();
      try {
        if (ch.receive(buffer) == null) {
          continue;
        }
      } catch (ClosedChannelException e) {
        return; // shutdown closed the socket
      } catch (IOException e) {
        if (!ch.isOpen()) {
          return;
        }
        rejectedLog.warn("awsxray receiver {}: udp read failed", id, e);
        continue;
      }
      datagrams.incrementAndGet();
      handle(buffer.array(), buffer.position());
    }
  }

  /** Translates and delivers one datagram; never throws, so one bad sender cannot stop the listener. */
  void handle(byte[] data, int length) {
    ResourceSpans resourceSpans;
    try {
      if (length > SegmentDatagram.MAX_SIZE) {
        throw new InvalidSegmentException("datagram larger than " + SegmentDatagram.MAX_SIZE + " bytes (expected:"
            + " one segment document per datagram, as the X-Ray SDKs send)");
      }
      int body = SegmentDatagram.bodyOffset(data, length);
      resourceSpans = SegmentsToSpans.translate(data, body, length - body);
    } catch (InvalidSegmentException | RuntimeException e) {
      rejected.incrementAndGet();
      rejectedLog.warn("awsxray receiver {}: dropped a datagram: {}", id, e.getMessage());
      return;
    }
    if (next == null) {
      return;
    }
    int count = resourceSpans.getScopeSpans(0).getSpansCount();
    try {
      next.consume(ExportTraceServiceRequest.newBuilder().addResourceSpans(resourceSpans).build());
      spans.addAndGet(count);
    } catch (ConsumeException e) {
      refused.incrementAndGet();
      refusedLog.warn("awsxray receiver {}: pipeline refused {} spans ({}): {}", id, count, e.reason(),
          e.getMessage());
    } catch (RuntimeException e) {
      refused.incrementAndGet();
      refusedLog.warn("awsxray receiver {}: pipeline failed on {} spans", id, count, e);
    }
  }

  /** The bound port, or -1 before start and after shutdown. */
  int port() {
    synchronized (lock) {
      if (channel == null) {
        return -1;
      }
      try {
        return ((InetSocketAddress) channel.getLocalAddress()).getPort();
      } catch (IOException e) {
        return -1;
      }
    }
  }

  /** Datagrams read from the socket. */
  long datagrams() {
    return datagrams.get();
  }

  /** Spans the pipeline accepted. */
  long spans() {
    return spans.get();
  }

  /** Datagrams dropped because they were not a valid segment document. */
  long rejected() {
    return rejected.get();
  }

  /** Valid datagrams whose spans the pipeline refused. */
  long refused() {
    return refused.get();
  }

  @Override
  public void shutdown() {
    DatagramChannel ch;
    Thread t;
    SamplingProxy p;
    synchronized (lock) {
      ch = channel;
      t = reader;
      p = proxy;
      channel = null;
      reader = null;
      proxy = null;
    }
    if (p != null) {
      p.stop();
    }
    if (ch == null) {
      return;
    }
    long started = System.nanoTime();
    try {
      ch.close(); // wakes the reader out of receive()
    } catch (IOException e) {
      log.warn("awsxray receiver {}: closing the socket failed", id, e);
    }
    if (t != null) {
      try {
        t.join(JOIN_TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        log.warn("awsxray receiver {}: reader still delivering to the pipeline after {} ms", id, JOIN_TIMEOUT_MILLIS);
      }
    }
    log.info("awsxray receiver {}: stopped in {} ms ({} datagrams, {} spans accepted, {} rejected, {} refused)", id,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), datagrams.get(), spans.get(), rejected.get(),
        refused.get());
  }
}
