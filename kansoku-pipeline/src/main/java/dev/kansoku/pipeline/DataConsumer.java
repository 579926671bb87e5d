package dev.kansoku.pipeline;

/**
 * The data plane: "consume this batch, tell me if it failed". Receivers call it, processors hold the
 * next one, exporters end the chain.
 *
 * <p>Implementations are thread-safe: receivers call from many threads at once. A normal return
 * means the data was accepted (the sender may be acknowledged); a {@link ConsumeException} says it
 * was not, and whether the sender may retry. Pipeline data is immutable protobuf, so consumers may
 * share it without copying.
 */
@FunctionalInterface
public interface DataConsumer<T> {
  void consume(T data) throws ConsumeException;
}
