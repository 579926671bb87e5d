package dev.kansoku.contrib.statsdreceiver;

import dev.kansoku.contrib.statsdreceiver.StatsdAggregator.Observer;
import dev.kansoku.contrib.statsdreceiver.StatsdAggregator.Settings;
import dev.kansoku.contrib.statsdreceiver.StatsdReceiverConfig.Mapping;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * {@code statsd}: the collector-contrib StatsD receiver (default localhost:8125 UDP), aggregating
 * counters, gauges, timings, histograms and distributions per interval. Metrics only.
 */
public final class StatsdReceiverFactory implements ReceiverFactory<StatsdReceiverConfig> {
  private final Clock clock;

  public StatsdReceiverFactory() {
    this(Clock.systemUTC());
  }

  /** @param clock the wall clock the data points' timestamps come from */
  StatsdReceiverFactory(Clock clock) {
    this.clock = clock;
  }

  @Override
  public String type() {
    return "statsd";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public StatsdReceiverConfig createDefaultConfig() {
    return new StatsdReceiverConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.of(Signal.METRICS);
  }

  @Override
  public Receiver create(StatsdReceiverConfig config, ComponentContext context, Consumers next) {
    LongSupplier nanos = () -> {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
    return new StatsdReceiver(context.id().toString(), config, next,
        new StatsdAggregator(settings(config), nanos, () -> ThreadLocalRandom.current().nextDouble()));
  }

  static Settings settings(StatsdReceiverConfig config) {
    Observer timers = Observer.DISABLED;
    Observer histograms = Observer.DISABLED;
    for (Mapping m : config.timerHistogramMapping == null ? List.<Mapping>of() : config.timerHistogramMapping) {
      Observer o = new Observer(m.observerType, m.histogram == null ? 0 : m.histogram.maxSize,
          m.summary == null || m.summary.percentiles == null ? List.of() : List.copyOf(m.summary.percentiles));
      if (m.statsdType.equals("timing") || m.statsdType.equals("timer")) {
        timers = o;
      } else {
        histograms = o; // histogram and distribution share one mapping, the last one given
      }
    }
    // The scope's version is the build's, as upstream's is the collector's.
    String version = Objects.requireNonNullElse(StatsdReceiverFactory.class.getPackage().getImplementationVersion(),
        "");
    return new Settings(config.enableMetricType, config.enableSimpleTags, config.isMonotonicCounter,
        config.counterType, timers, histograms, version);
  }
}
