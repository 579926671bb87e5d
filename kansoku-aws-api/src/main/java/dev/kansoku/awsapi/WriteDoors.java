package dev.kansoku.awsapi;

import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Signal;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.annotation.Nullable;

/**
 * The pipelines behind one endpoint's AWS write operations: empty until a {@code kansoku} receiver
 * attaches, so data written through the AWS APIs takes the same path as OTLP (memory_limiter, every
 * exporter of the pipeline, Kafka in scale-out) and never a side door into the store.
 */
public final class WriteDoors implements AwsWrites {
  private record Attached(String receiverId, Consumers next) {}

  private final AtomicReference<Attached> attached = new AtomicReference<>();

  @Override
  public Attachment attach(String receiverId, Consumers next) {
    Attached a = new Attached(receiverId, next);
    Attached before = attached.compareAndExchange(null, a);
    if (before != null) {
      throw new IllegalStateException("the AWS write operations are received by \"" + before.receiverId()
          + "\" already; one kansoku receiver per extension");
    }
    return () -> attached.compareAndSet(a, null);
  }

  /** The pipeline entry for {@code signal}, empty when no attached receiver feeds a pipeline of it. */
  public <T> Optional<DataConsumer<T>> consumer(Signal<T> signal) {
    Attached a = attached.get();
    return a == null ? Optional.empty() : a.next().get(signal);
  }

  /** The memory_limiters in front of {@code signal}'s pipelines, asked before a request is read. */
  public Admission admission(Signal<?> signal) {
    Attached a = attached.get();
    return a == null ? Admission.ALWAYS : a.next().admission(signal);
  }

  /** The receiver that is attached, for error messages; null when none. */
  @Nullable
  public String receiverId() {
    Attached a = attached.get();
    return a == null ? null : a.receiverId();
  }

  /** Why {@code operation} cannot take data of {@code signal} (no pipeline of it is attached), and the fix. */
  public String noPipeline(Signal<?> signal, String operation) {
    String id = receiverId();
    String pipeline = signal.name() + " pipeline";
    return operation + " delivers to a " + pipeline + " that receives from the kansoku receiver, and "
        + (id == null ? "no kansoku receiver runs" : "receiver \"" + id + "\" is in no " + pipeline)
        + ": add the kansoku receiver to a " + pipeline + " (receivers: {kansoku: } and service::pipelines::"
        + signal.name() + "::receivers: [kansoku])";
  }
}
