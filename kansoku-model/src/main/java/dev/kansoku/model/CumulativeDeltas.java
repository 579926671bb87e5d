package dev.kansoku.model;

import static java.util.Objects.requireNonNull;

import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.resource.v1.Resource;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The last cumulative point of each series, to store cumulative OTLP sums, histograms and
 * (Prometheus) summaries as the increase since the previous export, as {@code cumulativetodelta}
 * and awsemf do. See RATIONALE.md ("Cumulative temporality") for each rule and its reference.
 *
 * <ul>
 *   <li>Series: resource attributes, scope name and version, metric name, unit and type, point
 *       attributes, kept as a 128-bit digest. A different start time is a new run of the series.
 *   <li>First point of a run: kept whole when the run started after this object was created (the
 *       sender started, or restarted, since: everything it counted is new) and after the last point
 *       of every series forgotten so far (else it may be a forgotten run, counted already); otherwise
 *       it is only a baseline.
 *   <li>A total that went down (a count, a value, a bucket) is a reset: the point is kept whole.
 *   <li>Histogram bounds that changed (an exponential histogram's scale) are aligned by merging the
 *       previous buckets; when they cannot be, the point is only a new baseline.
 *   <li>A point not newer than the last one (a replay) is dropped and changes nothing.
 * </ul>
 * Bounded: at most {@code maxSeries} series, the least recently seen evicted first (counted by
 * {@link #evictions()}); a series not seen for {@code maxStaleness} is forgotten ({@link #expired()}).
 * Thread-safe: one lock, held per point.
 */
public final class CumulativeDeltas {
  public static final int DEFAULT_MAX_SERIES = 100_000;
  /** As awsemf's delta cache: a series silent for 5 minutes starts again from a baseline. */
  public static final Duration DEFAULT_MAX_STALENESS = Duration.ofMinutes(5);

  /** A series identity: the first 128 bits of a SHA-256 over its parts. */
  record Key(long high, long low) {}

  /** One series' last cumulative totals. Immutable. */
  private record Last(long startNanos, long timeNanos, double value, long count, double sum, List<Double> bounds,
      List<Long> counts, long seenNanos) {}

  private record Change(Key key, @Nullable Last before, Last after) {}

  private final Object lock = new Object();
  private final Map<Key, Last> series; // guarded by lock; access order: the eldest is the least recently seen
  private final int maxSeries;
  private final long maxStalenessNanos;
  private final Clock clock;
  private final long createdNanos;
  private long evictions; // guarded by lock
  private long expired; // guarded by lock
  /** The latest point time of any evicted or expired series: runs that started before may be one of them. */
  private long forgottenNanos = Long.MIN_VALUE; // guarded by lock

  public CumulativeDeltas(int maxSeries, Duration maxStaleness, Clock clock) {
    if (maxSeries < 1) {
      throw new IllegalArgumentException("maxSeries: " + maxSeries + " (expected: >= 1)");
    }
    if (maxStaleness.isNegative() || maxStaleness.isZero()) {
      throw new IllegalArgumentException("maxStaleness: " + maxStaleness + " (expected: > 0)");
    }
    this.maxSeries = maxSeries;
    this.maxStalenessNanos = maxStaleness.toNanos();
    this.clock = requireNonNull(clock, "clock");
    this.createdNanos = nanos(clock.instant());
    this.series = new LinkedHashMap<>(256, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Last> eldest) {
        if (size() > CumulativeDeltas.this.maxSeries) {
          evictions++;
          forgottenNanos = Math.max(forgottenNanos, eldest.getValue().timeNanos);
          return true;
        }
        return false;
      }
    };
  }

  /** Series dropped because {@code maxSeries} were held; each one's next point is a first point again. */
  public long evictions() {
    synchronized (lock) {
      return evictions;
    }
  }

  /** Series forgotten because they were not seen for {@code maxStaleness}. */
  public long expired() {
    synchronized (lock) {
      return expired;
    }
  }

  public int size() {
    synchronized (lock) {
      return series.size();
    }
  }

  /** The changes of one conversion, to undo them when the converted points could not be stored. */
  public Batch batch() {
    return new Batch();
  }

  /** Not thread-safe; one per conversion. */
  public final class Batch {
    private final List<Change> changes = new ArrayList<>();

    private Batch() {}

    /**
     * Restores the series this batch advanced, so a retry of the same request computes the same
     * increases; a series another batch advanced meanwhile is left as it is.
     */
    public void rollback() {
      synchronized (lock) {
        for (int i = changes.size() - 1; i >= 0; i--) {
          Change c = changes.get(i);
          if (series.get(c.key) != c.after) {
            continue;
          }
          if (c.before == null) {
            series.remove(c.key);
          } else {
            series.put(c.key, c.before);
          }
        }
      }
      changes.clear();
    }

    /**
     * The increase {@code point} (cumulative since {@code startNanos}) adds to its series, or null
     * when it is only a baseline or a replay. Min/max are kept (as awsemf sends them) unless the
     * interval holds no value.
     */
    @Nullable
    MetricPoint delta(Key key, long startNanos, MetricPoint point) {
      Last now = new Last(startNanos, point.timeNanos(), point.value(), point.count(), point.sum(),
          point.bucketBounds(), point.bucketCounts(), nanos(clock.instant()));
      Last prev;
      long forgotten;
      synchronized (lock) {
        expire(now.seenNanos);
        prev = series.get(key);
        if (prev != null && prev.startNanos == startNanos && point.timeNanos() <= prev.timeNanos) {
          return null;
        }
        series.put(key, now);
        changes.add(new Change(key, prev, now));
        forgotten = forgottenNanos;
      }
      if (prev == null || prev.startNanos != startNanos) {
        boolean newRun = startNanos >= createdNanos && startNanos > forgotten && point.timeNanos() != startNanos;
        return newRun ? point : null;
      }
      if (now.value < prev.value || now.count < prev.count) {
        return point;
      }
      List<Long> previousCounts = prev.counts;
      if (!prev.bounds.equals(now.bounds)) {
        previousCounts = align(prev.bounds, prev.counts, now.bounds);
        if (previousCounts == null) {
          return null;
        }
      }
      List<Long> counts = new ArrayList<>(now.counts.size());
      for (int i = 0; i < now.counts.size(); i++) {
        long d = now.counts.get(i) - previousCounts.get(i);
        if (d < 0) {
          return point;
        }
        counts.add(d);
      }
      long count = now.count - prev.count;
      boolean empty = point.kind() == MetricKind.HISTOGRAM && count == 0;
      return new MetricPoint(point.namespace(), point.name(), point.unit(), point.dimensions(), point.timeNanos(),
          point.kind(), now.value - prev.value, count, now.sum - prev.sum, empty ? Double.NaN : point.min(),
          empty ? Double.NaN : point.max(), now.bounds, counts, point.quantiles());
    }
  }

  /**
   * {@code counts} (over {@code bounds}) merged onto {@code target} bounds, or null when a non-empty
   * bucket straddles a target bound (its values cannot be placed).
   */
  @Nullable
  static List<Long> align(List<Double> bounds, List<Long> counts, List<Double> target) {
    if (counts.isEmpty()) {
      return null;
    }
    long[] out = new long[target.size() + 1];
    for (int i = 0; i < counts.size(); i++) {
      long c = counts.get(i);
      if (c == 0) {
        continue;
      }
      double lower = i == 0 ? Double.NEGATIVE_INFINITY : bounds.get(i - 1);
      double upper = i < bounds.size() ? bounds.get(i) : Double.POSITIVE_INFINITY;
      int into = targetBucket(target, upper);
      // (lower, upper] fits target bucket (target[into-1], target[into]] unless that lower bound lies above lower.
      if (into > 0 && above(target.get(into - 1), lower)) {
        return null;
      }
      out[into] += c;
    }
    List<Long> aligned = new ArrayList<>(out.length);
    for (long c : out) {
      aligned.add(c);
    }
    return aligned;
  }

  /** The index of the target bucket (values ≤ bound) holding {@code value}; the last one above every bound. */
  private static int targetBucket(List<Double> target, double value) {
    int i = 0;
    while (i < target.size() && above(value, target.get(i))) {
      i++;
    }
    return i;
  }

  /** a > b beyond rounding: exponential bounds computed at two scales differ in the last bits. */
  private static boolean above(double a, double b) {
    return a > b && (Double.isInfinite(a) || Double.isInfinite(b) || a - b > 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
  }

  private void expire(long nowNanos) {
    Iterator<Last> it = series.values().iterator();
    while (it.hasNext()) {
      Last last = it.next();
      if (nowNanos - last.seenNanos < maxStalenessNanos) {
        return; // access order: every later entry was seen more recently
      }
      it.remove();
      expired++;
      forgottenNanos = Math.max(forgottenNanos, last.timeNanos);
    }
  }

  /**
   * Whether the metric's points are totals since their start time: cumulative sums (monotonic or not,
   * as awsemf converts both) and histograms; summaries only from a Prometheus receiver, as awsemf
   * decides (PutMetricData's statistic sets are summaries of one interval).
   */
  static boolean cumulative(Metric m, boolean prometheusReceiver) {
    return switch (m.getDataCase()) {
      case SUM -> m.getSum().getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case HISTOGRAM -> m.getHistogram().getAggregationTemporality()
          == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getAggregationTemporality()
          == AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE;
      case SUMMARY -> prometheusReceiver;
      default -> false;
    };
  }

  /** The digest of a resource, computed once per resource of a request. */
  static byte[] resourceDigest(Resource resource) {
    MessageDigest d = sha256();
    attributes(d, resource.getAttributesList());
    return d.digest();
  }

  /** The series key of one point of {@code m}. */
  static Key key(byte[] resourceDigest, InstrumentationScope scope, Metric m, List<KeyValue> pointAttributes) {
    MessageDigest d = sha256();
    d.update(resourceDigest);
    text(d, scope.getName());
    text(d, scope.getVersion());
    text(d, m.getName());
    text(d, m.getUnit());
    text(d, m.getDataCase().name());
    attributes(d, pointAttributes);
    ByteBuffer b = ByteBuffer.wrap(d.digest());
    return new Key(b.getLong(), b.getLong());
  }

  private static void attributes(MessageDigest d, List<KeyValue> kvs) {
    List<KeyValue> sorted = new ArrayList<>(kvs);
    sorted.sort(Comparator.comparing(KeyValue::getKey));
    for (KeyValue kv : sorted) {
      text(d, kv.getKey());
      byte[] value = kv.getValue().toByteArray();
      d.update(ByteBuffer.allocate(4).putInt(value.length).array());
      d.update(value);
    }
    d.update((byte) 0xff);
  }

  /** Length-prefixed, so ("ab", "c") and ("a", "bc") differ. */
  private static void text(MessageDigest d, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    d.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
    d.update(bytes);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }
}
