package dev.kansoku.prometheus.remotewrite;

import java.util.Arrays;
import java.util.List;

/**
 * One remote-write series: its labels (sorted by name, {@code __name__} among them) and its samples
 * in time order. Data points of one batch that share a label set share the series.
 */
final class TimeSeries {
  private final List<Label> labels;
  private long[] timestamps = new long[1];
  private double[] values = new double[1];
  private int size;

  TimeSeries(List<Label> labels) {
    this.labels = List.copyOf(labels);
  }

  List<Label> labels() {
    return labels;
  }

  int size() {
    return size;
  }

  long timestamp(int i) {
    return timestamps[i];
  }

  double value(int i) {
    return values[i];
  }

  /** Adds a sample, keeping time order (OTLP batches are usually in order already: then this is an append). */
  void add(long timestampMs, double value) {
    if (size == timestamps.length) {
      timestamps = Arrays.copyOf(timestamps, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    int at = size;
    while (at > 0 && timestamps[at - 1] > timestampMs) {
      at--;
    }
    System.arraycopy(timestamps, at, timestamps, at + 1, size - at);
    System.arraycopy(values, at, values, at + 1, size - at);
    timestamps[at] = timestampMs;
    values[at] = value;
    size++;
  }

  String name() {
    for (Label l : labels) {
      if (l.name().equals("__name__")) {
        return l.value();
      }
    }
    return "";
  }
}
