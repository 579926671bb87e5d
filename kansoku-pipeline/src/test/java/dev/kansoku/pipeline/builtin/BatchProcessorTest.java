package dev.kansoku.pipeline.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BatchProcessorTest {
  private final List<ExportTraceServiceRequest> sent = new CopyOnWriteArrayList<>();

  private BatchProcessor<ExportTraceServiceRequest> batch(int size, int max, Duration timeout) {
    return new BatchProcessor<>("batch", Signal.TRACES, sent::add, size, max, timeout);
  }

  private List<Integer> sentCounts() {
    return sent.stream().map(Signal.TRACES::count).toList();
  }

  @Test
  void sendsWhenSizeReached_mergingRequests() throws Exception {
    BatchProcessor<ExportTraceServiceRequest> b = batch(10, 0, Duration.ofHours(1));
    b.consume(TestData.traces(1, 1, 4, 0));
    b.consume(TestData.traces(1, 1, 4, 4));
    assertThat(sent).isEmpty();
    b.consume(TestData.traces(1, 1, 4, 8));
    assertThat(sentCounts()).containsExactly(12);
    assertThat(sent.get(0).getResourceSpansCount()).isEqualTo(3);
    b.shutdown();
  }

  @Test
  void splitsToMaxSize() throws Exception {
    BatchProcessor<ExportTraceServiceRequest> b = batch(10, 10, Duration.ofHours(1));
    b.consume(TestData.traces(1, 1, 25, 0));
    assertThat(sentCounts()).containsExactly(10, 10, 5);
    b.shutdown();
  }

  @Test
  void sendsPartialBatchAfterTimeout() throws Exception {
    BatchProcessor<ExportTraceServiceRequest> b = batch(1000, 0, Duration.ofMillis(50));
    b.consume(TestData.traces(1, 1, 3, 0));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (sent.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(sentCounts()).containsExactly(3);
    b.shutdown();
  }

  @Test
  void zeroTimeout_sendsAtOnce() throws Exception {
    BatchProcessor<ExportTraceServiceRequest> b = batch(1000, 0, Duration.ZERO);
    b.consume(TestData.traces(1, 1, 3, 0));
    assertThat(sentCounts()).containsExactly(3);
    b.shutdown();
  }

  @Test
  void shutdown_sendsPending_andLaterDataPassesThrough() throws Exception {
    BatchProcessor<ExportTraceServiceRequest> b = batch(1000, 0, Duration.ofHours(1));
    b.consume(TestData.traces(1, 1, 3, 0));
    b.shutdown();
    assertThat(sentCounts()).containsExactly(3);
    b.shutdown();
    assertThat(sentCounts()).containsExactly(3);
  }

  @Test
  void refusedBatch_isCountedAsDropped_notThrownAtTheSender() throws Exception {
    BatchProcessor<ExportTraceServiceRequest> b = new BatchProcessor<>("batch", Signal.TRACES, data -> {
      throw ConsumeException.unavailable("down", null, null);
    }, 2, 0, Duration.ofHours(1));
    b.consume(TestData.traces(1, 1, 5, 0));
    assertThat(b.droppedItems()).isEqualTo(5);
    b.shutdown();
  }

  @Test
  void concurrentSenders_loseNothing() throws Exception {
    BatchProcessor<ExportTraceServiceRequest> b = batch(100, 0, Duration.ofMillis(20));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      int base = t * 10_000;
      pool.submit(() -> {
        for (int i = 0; i < 500; i++) {
          b.consume(TestData.traces(1, 1, 3, base + i * 3L));
        }
        return null;
      });
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    b.shutdown();
    assertThat(sent.stream().mapToInt(Signal.TRACES::count).sum()).isEqualTo(8 * 500 * 3);
    assertThat(sent.stream().flatMap(r -> r.getResourceSpansList().stream())
        .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream())
        .map(s -> s.getSpanId()).distinct().count()).isEqualTo(8 * 500 * 3);
  }
}
