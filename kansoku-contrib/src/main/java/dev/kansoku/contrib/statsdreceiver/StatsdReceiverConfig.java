package dev.kansoku.contrib.statsdreceiver;

import dev.kansoku.contrib.attraction.GoValues;
import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.Endpoints;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code statsd}: a StatsD / DogStatsD listener whose lines are aggregated per interval into OTLP metrics. */
final class StatsdReceiverConfig implements Validatable {
  static final List<String> STATSD_TYPES = List.of("timing", "timer", "histogram", "distribution");
  static final List<String> OBSERVER_TYPES = List.of("gauge", "summary", "histogram");

  /** host:port to listen on; loopback unless you say otherwise. Example: 0.0.0.0:8125. */
  String endpoint = "localhost:8125";
  /** udp (udp4, udp6) or tcp (tcp4, tcp6): newline-separated lines. Example: udp. */
  String transport = "udp";
  /** How long lines are aggregated before the metrics go down the pipeline. Example: 60s. */
  Duration aggregationInterval = Duration.ofSeconds(60);
  /** Adds a metric_type attribute (counter, gauge, timing, histogram, distribution) to every data point. */
  boolean enableMetricType;
  /** Accepts DogStatsD tags without a value (#mykey), as an attribute with value "". */
  boolean enableSimpleTags;
  /** Aggregates per sending IP rather than per IP and port. */
  boolean enableIpOnlyAggregation;
  /** Aggregates the lines of every sender together. */
  boolean ignoreHost;
  /** Counters become monotonic sums. */
  boolean isMonotonicCounter;
  /** How counter values are written: int (each line's value truncated), float, or stochastic_int. */
  String counterType = "int";
  /**
   * What timers (ms) and histograms/distributions (h, d) become: gauge (one point per line), summary
   * or histogram (exponential). A list given here replaces the default (all three as gauge); a type it
   * does not name is dropped. Example: [{statsd_type: timing, observer_type: histogram, histogram: {max_size: 100}}].
   */
  List<Mapping> timerHistogramMapping = new ArrayList<>(List.of(new Mapping("timer", "gauge"),
      new Mapping("histogram", "gauge"), new Mapping("distribution", "gauge")));

  static final class Mapping {
    /** timing (or timer), histogram or distribution. */
    String statsdType = "";
    /** gauge, summary or histogram. */
    String observerType = "";
    Histogram histogram = new Histogram();
    Summary summary = new Summary();

    Mapping() {}

    Mapping(String statsdType, String observerType) {
      this.statsdType = statsdType;
      this.observerType = observerType;
    }
  }

  static final class Histogram {
    /** Buckets per sign of the exponential histogram, 2 to 16384; 0 means 160. */
    int maxSize;
  }

  static final class Summary {
    /** Percentiles written as quantiles (0 to 100). Default: 0, 10, 50, 90, 95, 100. */
    List<Double> percentiles = new ArrayList<>();
  }

  @Override
  public void validate() {
    bindAddress();
    String t = transport();
    if (!List.of("udp", "udp4", "udp6", "tcp", "tcp4", "tcp6").contains(t)) {
      throw new IllegalArgumentException("transport: unsupported transport \"" + transport + "\" (expected udp, udp4,"
          + " udp6, tcp, tcp4 or tcp6; Kansoku has no unixgram)");
    }
    if (aggregationInterval == null || aggregationInterval.isNegative() || aggregationInterval.isZero()) {
      throw new IllegalArgumentException("aggregation_interval must be a positive duration");
    }
    if (!List.of("int", "float", "stochastic_int").contains(counterType)) {
      throw new IllegalArgumentException("counter_type: \"" + counterType + "\" (expected int, float or stochastic_int)");
    }
    List<Mapping> mappings = timerHistogramMapping == null ? List.of() : timerHistogramMapping;
    for (int i = 0; i < mappings.size(); i++) {
      Mapping m = mappings.get(i);
      String at = "timer_histogram_mapping::" + i + ": ";
      String missing = at + "must specify object id for all TimerHistogramMappings";
      if (m == null || m.statsdType == null || m.statsdType.isEmpty()) {
        throw new IllegalArgumentException(missing);
      }
      if (!STATSD_TYPES.contains(m.statsdType)) {
        throw new IllegalArgumentException(at + "statsd_type is not a supported mapping for histogram and timing"
            + " metrics: " + m.statsdType);
      }
      if (m.observerType == null || m.observerType.isEmpty()) {
        throw new IllegalArgumentException(missing);
      }
      if (!OBSERVER_TYPES.contains(m.observerType)) {
        throw new IllegalArgumentException(at + "observer_type is not supported for histogram and timing metrics: "
            + m.observerType);
      }
      int maxSize = m.histogram == null ? 0 : m.histogram.maxSize;
      if (m.observerType.equals("histogram")) {
        if (maxSize != 0 && (maxSize < ExpoHistogram.MIN_SIZE || maxSize > ExpoHistogram.MAXIMUM_MAX_SIZE)) {
          throw new IllegalArgumentException(at + "histogram max_size out of range: " + maxSize);
        }
      } else if (maxSize != 0) {
        throw new IllegalArgumentException(at + "histogram configuration requires observer_type: histogram");
      }
      List<Double> percentiles = m.summary == null || m.summary.percentiles == null ? List.of() : m.summary.percentiles;
      for (Double p : percentiles) {
        if (p == null || p > 100 || p < 0) {
          throw new IllegalArgumentException(at + "summary percentiles out of [0, 100] range: "
              + (p == null ? "<nil>" : GoValues.formatFloat(p)));
        }
      }
      if (!percentiles.isEmpty() && !m.observerType.equals("summary")) {
        throw new IllegalArgumentException(at + "summary configuration requires observer_type: summary");
      }
    }
  }

  String transport() {
    return transport == null ? "" : transport.toLowerCase(Locale.ROOT);
  }

  InetSocketAddress bindAddress() {
    return Endpoints.check("endpoint", endpoint);
  }
}
