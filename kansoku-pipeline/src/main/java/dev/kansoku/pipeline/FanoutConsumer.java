package dev.kansoku.pipeline;

import java.util.List;

/**
 * Hands the same data to several consumers. One failing consumer does not keep the data from the
 * others; the caller then hears of the failure (the most severe one: a permanent failure outranks a
 * retryable one). Data is immutable protobuf, so nothing is copied.
 */
final class FanoutConsumer<T> implements DataConsumer<T> {
  private final List<DataConsumer<T>> consumers;

  private FanoutConsumer(List<DataConsumer<T>> consumers) {
    this.consumers = List.copyOf(consumers);
  }

  static <T> DataConsumer<T> of(List<DataConsumer<T>> consumers) {
    return consumers.size() == 1 ? consumers.get(0) : new FanoutConsumer<>(consumers);
  }

  @Override
  public void consume(T data) throws ConsumeException {
    ConsumeException failure = null;
    for (DataConsumer<T> c : consumers) {
      try {
        c.consume(data);
      } catch (ConsumeException e) {
        if (failure == null || failure.retryable() && !e.retryable()) {
          failure = e;
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
