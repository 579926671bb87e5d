package dev.kansoku.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.store.SpanWriter;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a store's refusal reaches the sender: overloaded → retry later (429), down → 503, never → permanent. */
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
    KansokuExporter exporter = new KansokuExporter("kansoku", "kansoku");
    exporter.start(new Host() {
      @Override
      public <E> Optional<E> extension(ComponentId id, Class<E> type) {
        return Optional.of(type.cast((StoreAccess) () -> storage));
      }
    });
    return catchThrowableOfType(() -> exporter.consumer(Signal.TRACES).consume(ONE_SPAN), ConsumeException.class);
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
