package dev.kansoku.pipeline;

import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * One of the three telemetry signals and the operations the pipeline needs on its data: count the
 * items (spans, metric data points, log records, as the collector counts them for batching), merge
 * batches and split a batch to a maximum size.
 *
 * <p>Pipeline data is the OTLP export request itself (immutable protobuf), so a receiver hands over
 * what it parsed and an OTLP exporter sends it on without conversion.
 */
public final class Signal<T> {
  public static final Signal<ExportTraceServiceRequest> TRACES = new Signal<>(
      "traces", "spans", ExportTraceServiceRequest.class, TraceBatches.SHAPE::count, TraceBatches.SHAPE::merge,
      TraceBatches.SHAPE::split);
  public static final Signal<ExportMetricsServiceRequest> METRICS = new Signal<>(
      "metrics", "data points", ExportMetricsServiceRequest.class, MetricBatches::count, MetricBatches::merge,
      MetricBatches::split);
  public static final Signal<ExportLogsServiceRequest> LOGS = new Signal<>(
      "logs", "log records", ExportLogsServiceRequest.class, LogBatches.SHAPE::count, LogBatches.SHAPE::merge,
      LogBatches.SHAPE::split);

  /** All signals, in the order the collector lists them. */
  public static final List<Signal<?>> ALL = List.of(TRACES, METRICS, LOGS);

  /** Splits a batch into batches of at most {@code max} items, keeping resource and scope grouping. */
  interface Splitter<T> {
    List<T> split(T data, int max);
  }

  private final String name;
  private final String itemName;
  private final Class<T> dataType;
  private final ToIntFunction<T> counter;
  private final Function<List<T>, T> merger;
  private final Splitter<T> splitter;

  private Signal(String name, String itemName, Class<T> dataType, ToIntFunction<T> counter, Function<List<T>, T> merger,
      Splitter<T> splitter) {
    this.name = name;
    this.itemName = itemName;
    this.dataType = dataType;
    this.counter = counter;
    this.merger = merger;
    this.splitter = splitter;
  }

  /** The signal's name as the configuration spells it: traces, metrics, logs. */
  public String name() {
    return name;
  }

  /** What one item is called in messages: spans, data points, log records. */
  public String itemName() {
    return itemName;
  }

  public Class<T> dataType() {
    return dataType;
  }

  public int count(T data) {
    return counter.applyAsInt(data);
  }

  /** One batch holding the resources of all {@code batches}, in order. */
  public T merge(List<T> batches) {
    return batches.size() == 1 ? batches.get(0) : merger.apply(batches);
  }

  /** {@code data} itself when it holds at most {@code max} items, otherwise consecutive slices of it. */
  public List<T> split(T data, int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
    }
    return splitter.split(data, max);
  }

  /** The signal named {@code name}, or null when no signal has that name. */
  public static Signal<?> byName(String name) {
    for (Signal<?> s : ALL) {
      if (s.name.equals(name)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return name;
  }
}
