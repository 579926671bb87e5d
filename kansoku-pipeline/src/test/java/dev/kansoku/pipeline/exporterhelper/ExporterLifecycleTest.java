package dev.kansoku.pipeline.exporterhelper;

import static dev.kansoku.pipeline.exporterhelper.QueuedRetrySenderTest.queue;
import static dev.kansoku.pipeline.exporterhelper.QueuedRetrySenderTest.retry;
import static dev.kansoku.pipeline.exporterhelper.QueuedRetrySenderTest.spans;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.QueueSettings;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExporterLifecycleTest {
  static final Host HOST = new Host() {
    @Override
    public <E> Optional<E> extension(dev.kansoku.pipeline.ComponentId id, Class<E> type) {
      return Optional.empty();
    }
  };

  final QueuedRetrySenderTest.FakeClock clock = new QueuedRetrySenderTest.FakeClock();
  /** What the fake exporter did, in order: open, send, close. */
  final List<String> events = new CopyOnWriteArrayList<>();
  final AtomicInteger opened = new AtomicInteger();
  final AtomicInteger closed = new AtomicInteger();

  /** The client of the fake exporter: its number, so a test can tell which open a send used. */
  record Client(int n) {}

  /** Thrown by the next open instead of opening, when set. */
  volatile IOException refuseNextOpen;

  Client open(Host host) throws IOException {
    IOException refusal = refuseNextOpen;
    if (refusal != null) {
      refuseNextOpen = null;
      throw refusal;
    }
    int n = opened.incrementAndGet();
    events.add("open " + n);
    return new Client(n);
  }

  ExporterLifecycle<Client> lifecycle(QueueSettings q, ExporterLifecycle.Sender<Client> sender) {
    return new ExporterLifecycle<>("lifecycle/test", retry(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1),
        Duration.ofSeconds(10)), q, this::open, sender, c -> {
          closed.incrementAndGet();
          events.add("close " + c.n());
        }, clock, () -> 0.5, Duration.ofSeconds(5));
  }

  /** Records each send as "send client:items". */
  final ExporterLifecycle.Sender<Client> recording = new ExporterLifecycle.Sender<>() {
    @Override
    public <T> void send(Client client, Signal<T> signal, T batch) {
      events.add("send " + client.n() + ":" + signal.count(batch));
    }
  };

  @Test
  void startAndShutdown_areIdempotent_openingAndClosingOnce() throws Exception {
    var l = lifecycle(queue(true, 2, 10), recording);
    l.consumer(Signal.TRACES);

    l.start(HOST);
    l.start(HOST);
    l.shutdown();
    l.shutdown();
    l.start(HOST); // no-op after shutdown

    assertThat(events).containsExactly("open 1", "close 1");
    assertThat(senderThreads()).isEmpty();
  }

  @Test
  void consumeBeforeStart_isRefusedUnavailable_andNothingIsSent() {
    var l = lifecycle(queue(true, 1, 10), recording);

    assertThatThrownBy(() -> l.consumer(Signal.TRACES).consume(spans(2)))
        .isInstanceOf(ConsumeException.class)
        .hasMessage("exporter lifecycle/test is not started")
        .satisfies(e -> assertThat(((ConsumeException) e).reason()).isEqualTo(ConsumeException.Reason.UNAVAILABLE));
    assertThat(l.sender(Signal.TRACES).queuedBatches()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void consumeAfterShutdown_isRefusedUnavailable() throws Exception {
    var l = lifecycle(QueuedRetrySenderTest.queue(false, 1, 1), recording);
    DataConsumer<ExportTraceServiceRequest> traces = l.consumer(Signal.TRACES);
    l.start(HOST);
    traces.consume(spans(1));

    l.shutdown();

    assertThatThrownBy(() -> traces.consume(spans(3)))
        .hasMessage("exporter lifecycle/test is shutting down")
        .satisfies(e -> assertThat(((ConsumeException) e).reason()).isEqualTo(ConsumeException.Reason.UNAVAILABLE));
    // A signal first asked for after shutdown is refused the same way.
    assertThatThrownBy(() -> l.consumer(Signal.LOGS).consume(ExportLogsServiceRequest.getDefaultInstance()))
        .hasMessage("exporter lifecycle/test is shutting down");
    assertThat(events).containsExactly("open 1", "send 1:1", "close 1");
  }

  @Test
  void shutdown_drainsEveryQueueThenClosesTheClientOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    var l = lifecycle(queue(true, 2, 100), new ExporterLifecycle.Sender<>() {
      @Override
      public <T> void send(Client client, Signal<T> signal, T batch) {
        await(release);
        events.add("send " + signal.name() + ":" + signal.count(batch));
      }
    });
    l.start(HOST);
    for (int i = 1; i <= 4; i++) {
      l.consumer(Signal.TRACES).consume(spans(i));
    }
    l.consumer(Signal.LOGS).consume(ExportLogsServiceRequest.getDefaultInstance());

    // Shutdown begins while both batches' senders are blocked with more queued behind them.
    Thread stopper = new Thread(l::shutdown);
    stopper.start();
    release.countDown();
    stopper.join(TimeUnit.SECONDS.toMillis(10));

    assertThat(stopper.isAlive()).isFalse();
    assertThat(events).hasSize(7);
    assertThat(events.get(0)).isEqualTo("open 1");
    assertThat(events.subList(1, 6)).containsExactlyInAnyOrder("send traces:1", "send traces:2", "send traces:3",
        "send traces:4", "send logs:0");
    assertThat(events.get(6)).isEqualTo("close 1");
    assertThat(closed).hasValue(1);
    assertThat(l.sender(Signal.TRACES).sentItems()).isEqualTo(10);
    assertThat(senderThreads()).isEmpty();
  }

  @Test
  void openFailure_leavesNothingRunning_andStartMayBeTriedAgain() throws Exception {
    var l = lifecycle(queue(true, 2, 10), recording);
    DataConsumer<ExportTraceServiceRequest> traces = l.consumer(Signal.TRACES);
    IOException refused = new IOException("cannot open /nowhere");

    refuseNextOpen = refused;

    assertThatThrownBy(() -> l.start(HOST)).isSameAs(refused);

    assertThat(senderThreads()).isEmpty();
    assertThatThrownBy(() -> traces.consume(spans(1))).hasMessage("exporter lifecycle/test is not started");

    l.start(HOST);
    traces.consume(spans(2));
    l.shutdown();

    assertThat(events).containsExactly("open 1", "send 1:2", "close 1");
  }

  @Test
  void shutdownWithoutStart_closesNothing() {
    var l = lifecycle(queue(true, 1, 10), recording);
    l.consumer(Signal.TRACES);

    l.shutdown();

    assertThat(closed).hasValue(0);
    assertThat(senderThreads()).isEmpty();
  }

  @Test
  void closeFailure_isLoggedNotThrown_andNotRetried() throws Exception {
    AtomicInteger closes = new AtomicInteger();
    var l = new ExporterLifecycle<Client>("lifecycle/test", retry(Duration.ofMillis(100), 1.5, Duration.ofSeconds(1),
        Duration.ofSeconds(10)), queue(false, 1, 1), this::open, recording, c -> {
          closes.incrementAndGet();
          throw new IOException("already closed");
        }, clock, () -> 0.5, Duration.ofSeconds(5));
    l.start(HOST);

    l.shutdown();
    l.shutdown();

    assertThat(closes).hasValue(1);
  }

  @Test
  void sendersStartLazily_perSignal_andTheConsumerIsTheSameInstance() throws Exception {
    var l = lifecycle(queue(true, 1, 10), recording);
    l.start(HOST);
    assertThat(senderThreads()).isEmpty();

    DataConsumer<ExportTraceServiceRequest> traces = l.consumer(Signal.TRACES); // asked after start: starts now
    traces.consume(spans(3));

    assertThat(l.consumer(Signal.TRACES)).isSameAs(traces);
    assertThat(senderThreads()).containsExactly("kansoku-exporter-lifecycle/test-traces-0");
    l.shutdown();
    assertThat(events).containsExactly("open 1", "send 1:3", "close 1");
  }

  @Test
  void partialFailure_throughTheLifecycle_resendsOnlyTheRemainderWithTheSameClient() throws Exception {
    var l = lifecycle(QueuedRetrySenderTest.queue(false, 1, 1), new ExporterLifecycle.Sender<>() {
      @Override
      public <T> void send(Client client, Signal<T> signal, T batch) throws ConsumeException {
        events.add("send " + client.n() + ":" + signal.count(batch));
        throw ConsumeException.partial(ConsumeException.unavailable("1 of 2 requests failed", null, null), 4,
            () -> events.add("resend " + client.n() + ":4"));
      }
    });
    l.start(HOST);

    l.consumer(Signal.TRACES).consume(spans(9));
    l.shutdown();

    assertThat(events).containsExactly("open 1", "send 1:9", "resend 1:4", "close 1");
    assertThat(l.sender(Signal.TRACES).sentItems()).isEqualTo(9);
    assertThat(l.sender(Signal.TRACES).failedItems()).isZero();
  }

  /** Live sender threads of exporter lifecycle/test. */
  private static List<String> senderThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("kansoku-exporter-lifecycle/test-"))
        .map(Thread::getName)
        .toList();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
