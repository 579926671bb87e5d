package dev.kansoku.api;

import dev.kansoku.model.CumulativeDeltas;
import dev.kansoku.model.OtlpToModel;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.RateLimitedLog;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converts OTLP into the store's records and writes them synchronously: a batch is accepted only
 * once the store has it, so the store's durability is the pipeline's (no queue in between).
 * Cumulative metrics are stored as increases against the series' previous point ({@link CumulativeDeltas});
 * a batch the store refuses is rolled back there, so its retry stores the same increases.
 */
final class KansokuExporter implements Exporter {
  private static final Logger log = LoggerFactory.getLogger(KansokuExporter.class);
  /** What senders are told to wait when the store refuses for now (a flush or the disk to recover). */
  private static final Duration STORE_RETRY_AFTER = Duration.ofSeconds(5);

  private final String id;
  private final String extensionId;
  private final RateLimitedLog rejectedLog = new RateLimitedLog(log, 10, TimeUnit.SECONDS);
  private final RateLimitedLog evictionLog = new RateLimitedLog(log, 60, TimeUnit.SECONDS);
  private final CumulativeDeltas deltas;
  private final AtomicLong evictionsLogged = new AtomicLong();
  @Nullable private volatile Storage storage;

  KansokuExporter(String id, String extensionId, CumulativeDeltas deltas) {
    this.id = id;
    this.extensionId = extensionId;
    this.deltas = deltas;
  }

  @Override
  public void start(Host host) {
    ComponentId ext = ComponentId.parse(extensionId);
    storage = host.extension(ext, StoreAccess.class).orElseThrow(() -> new IllegalArgumentException(
        "extension: \"" + ext + "\" is not a kansoku extension listed in service::extensions"
            + " (add extensions: {kansoku: } and service: {extensions: [kansoku]})")).storage();
  }

  @Override
  @SuppressWarnings("unchecked")
  public <T> DataConsumer<T> consumer(Signal<T> signal) {
    if (signal == Signal.TRACES) {
      return data -> write(signal, OtlpToModel.spans((ExportTraceServiceRequest) data),
          (s, items) -> s.spanWriter().write(items));
    }
    if (signal == Signal.LOGS) {
      return data -> write(signal, OtlpToModel.logs((ExportLogsServiceRequest) data),
          (s, items) -> s.logWriter().write(items));
    }
    return data -> {
      CumulativeDeltas.Batch batch = deltas.batch();
      try {
        write(signal, OtlpToModel.metrics((ExportMetricsServiceRequest) data, batch),
            (s, items) -> s.metricWriter().write(items));
      } catch (ConsumeException | RuntimeException e) {
        batch.rollback();
        throw e;
      }
      warnOnEvictions();
    };
  }

  /** Cumulative series the state had no room for: their next increase is lost, so say so. */
  private void warnOnEvictions() {
    long evictions = deltas.evictions();
    long logged = evictionsLogged.get();
    if (evictions > logged && evictionsLogged.compareAndSet(logged, evictions)) {
      evictionLog.warn("exporter {}: {} cumulative series evicted so far, {} held (raise max_cumulative_series); "
          + "an evicted series' next point only sets a baseline", id, evictions, deltas.size());
    }
  }

  private <T> void write(Signal<?> signal, OtlpToModel.Converted<T> converted, BiConsumer<Storage, List<T>> writer)
      throws ConsumeException {
    Storage s = storage;
    if (s == null) {
      throw ConsumeException.unavailable("exporter " + id + " is not started", null, null);
    }
    if (converted.rejected() > 0) {
      rejectedLog.warn("exporter {}: {} {} could not be stored: {}", id, converted.rejected(), signal.itemName(),
          converted.firstError());
    }
    if (converted.items().isEmpty()) {
      return;
    }
    try {
      writer.accept(s, converted.items());
    } catch (StorageException e) {
      String message = "exporter " + id + ": the store refused the batch: " + e.getMessage();
      if (e.overloaded()) {
        throw ConsumeException.overloaded(message, STORE_RETRY_AFTER);
      }
      throw e.retryable() ? ConsumeException.unavailable(message, STORE_RETRY_AFTER, e)
          : ConsumeException.permanent(message, e);
    }
  }

  @Override
  public void shutdown() {
    storage = null;
  }
}
