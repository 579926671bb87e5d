package dev.kansoku.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.model.CumulativeDeltas;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.store.MetricWriter;
import dev.kansoku.store.SpanWriter;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * How a store's refusal reaches the sender: overloaded → retry later (429), down → 503, never → permanent;
 * and a refused cumulative batch is stored with the same increases when retried.
 */
class KansokuExporterTest {
  private static final ExportTraceServiceRequest ONE_SPAN = ExportTraceServiceRequest.newBuilder()
      .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(Span.newBuilder()
          .setTraceId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}))
          .setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})).setName("GET /rolldice")
          .setStartTimeUnixNano(1_000).setEndTimeUnixNano(2_000))))
      .build();

  private static ConsumeException refusal(StorageException thrown) throws Exception {
    SpanWriter writer = batch -> {
      throw thrown;
    };
    Storage storage = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
        (proxy, method, args) -> method.getName().equals("spanWriter") ? writer : null);
    KansokuExporter exporter = started(storage);
    return catchThrowableOfType(() -> exporter.consumer(Signal.TRACES).consume(ONE_SPAN), ConsumeException.class);
  }

  private static KansokuExporter started(Storage storage) {
    KansokuExporter exporter = new KansokuExporter("kansoku", "kansoku",
        new CumulativeDeltas(10, Duration.ofMinutes(5), Clock.systemUTC()));
    exporter.start(new Host() {
      @Override
      public <E> Optional<E> extension(ComponentId id, Class<E> type) {
        return Optional.of(type.cast((StoreAccess) () -> storage));
      }
    });
    return exporter;
  }

  private static ExportMetricsServiceRequest counter(long start, long time, long value) {
    return ExportMetricsServiceRequest.newBuilder().addResourceMetrics(ResourceMetrics.newBuilder()
        .addScopeMetrics(ScopeMetrics.newBuilder().addMetrics(Metric.newBuilder().setName("requests")
            .setSum(Sum.newBuilder().setIsMonotonic(true)
                .setAggregationTemporality(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE)
                .addDataPoints(NumberDataPoint.newBuilder().setStartTimeUnixNano(start).setTimeUnixNano(time)
                    .setAsInt(value)))))).build();
  }

  @Test
  void cumulative_state_bounds_must_be_positive() {
    KansokuExporterConfig c = new KansokuExporterConfig();
    c.maxCumulativeSeries = 0;
    assertThat(catchThrowableOfType(c::validate, IllegalArgumentException.class))
        .hasMessage("max_cumulative_series: 0 (expected: >= 1)");
    c.maxCumulativeSeries = 1;
    c.maxStaleness = Duration.ZERO;
    assertThat(catchThrowableOfType(c::validate, IllegalArgumentException.class))
        .hasMessage("max_staleness: PT0S (expected: > 0)");
  }

  @Test
  void a_refused_metrics_batch_is_retried_with_the_same_increases() throws Exception {
    List<Double> stored = new ArrayList<>();
    AtomicBoolean refuse = new AtomicBoolean();
    MetricWriter writer = batch -> {
      if (refuse.get()) {
        throw new StorageException("wal: No space left on device");
      }
      batch.forEach(p -> stored.add(p.value()));
    };
    Storage storage = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
        (proxy, method, args) -> method.getName().equals("metricWriter") ? writer : null);
    DataConsumer<ExportMetricsServiceRequest> metrics = started(storage).consumer(Signal.METRICS);
    long start = System.currentTimeMillis() * 1_000_000L + 1_000_000_000L; // the app starts after the exporter
    metrics.consume(counter(start, start + 60_000_000_000L, 5));
    refuse.set(true);
    ExportMetricsServiceRequest second = counter(start, start + 120_000_000_000L, 8);
    assertThat(catchThrowableOfType(() -> metrics.consume(second), ConsumeException.class).retryable()).isTrue();
    refuse.set(false);
    metrics.consume(second);
    metrics.consume(counter(start, start + 180_000_000_000L, 8));
    assertThat(stored).containsExactly(5.0, 3.0, 0.0);
  }

  @Test
  void an_overloaded_store_asks_the_sender_to_back_off() throws Exception {
    ConsumeException e = refusal(StorageException.overloaded("backlog full", null));
    assertThat(e.reason()).isEqualTo(ConsumeException.Reason.OVERLOADED);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
    assertThat(e.getMessage()).contains("backlog full");
  }

  @Test
  void a_store_that_cannot_write_now_is_unavailable_with_a_retry_hint() throws Exception {
    ConsumeException e = refusal(new StorageException("wal: No space left on device"));
    assertThat(e.reason()).isEqualTo(ConsumeException.Reason.UNAVAILABLE);
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
  }

  @Test
  void a_record_the_store_never_takes_is_permanent() throws Exception {
    ConsumeException e = refusal(new StorageException("mapping error", null, false));
    assertThat(e.reason()).isEqualTo(ConsumeException.Reason.PERMANENT);
    assertThat(e.retryable()).isFalse();
  }
}
