package dev.kansoku.aws.emf;

import java.time.Clock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Previous values of cumulative series, to turn them into deltas (the reference's MetricCalculator
 * over a MapWithExpiry). A series is keyed by metric name, namespace, log group and stream (before
 * label placeholders are filled) and its sorted labels, as the reference keys it. The first value of
 * a series only sets the baseline. Every {@link #TTL_MILLIS} of the clock, the series whose last data
 * point is stamped {@link #TTL_MILLIS} or more before now are forgotten, so their next value is a
 * baseline again: the reference stores the point's own timestamp, not the time it arrived, so a
 * series whose points carry old (or no) timestamps loses its baseline at each sweep there too.
 *
 * <p>Thread-safe: one lock, held for a lookup and update.
 */
final class DeltaCache<V> {
  /** The reference cleans entries older than 5 minutes every 5 minutes. */
  static final long TTL_MILLIS = 5 * 60 * 1000;

  record Key(String metricName, String namespace, String logGroup, String logStream, Map<String, String> labels) {}

  /** The delta, or null when this value is the first of its series (a baseline only). */
  record Result<V>(V delta, boolean first) {}

  private record Entry<V>(V value, long pointMillis) {}

  private final Object lock = new Object();
  private final Map<Key, Entry<V>> entries = new HashMap<>(); // guarded by lock
  private final BinaryOperator<V> subtract;
  private final Clock clock;
  private long lastSweepMillis; // guarded by lock

  DeltaCache(BinaryOperator<V> subtract, Clock clock) {
    this.subtract = subtract;
    this.clock = clock;
  }

  /**
   * Records {@code value}, stamped {@code pointMillis} (the data point's time), for {@code key} and
   * returns {@code value - previous}, or first=true.
   */
  Result<V> update(Key key, V value, long pointMillis) {
    long now = clock.millis();
    synchronized (lock) {
      sweep(now);
      Entry<V> prev = entries.put(key, new Entry<>(value, pointMillis));
      if (prev == null) {
        return new Result<>(null, true);
      }
      return new Result<>(subtract.apply(value, prev.value), false);
    }
  }

  int size() {
    synchronized (lock) {
      return entries.size();
    }
  }

  private void sweep(long now) {
    if (now - lastSweepMillis < TTL_MILLIS) {
      return;
    }
    lastSweepMillis = now;
    for (Iterator<Entry<V>> it = entries.values().iterator(); it.hasNext();) {
      if (now - it.next().pointMillis >= TTL_MILLIS) {
        it.remove();
      }
    }
  }
}
