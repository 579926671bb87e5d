package dev.kansoku.contrib;

import dev.kansoku.contrib.attributesprocessor.AttributesProcessorFactory;
import dev.kansoku.contrib.filterprocessor.FilterProcessorFactory;
import dev.kansoku.contrib.metricstransformprocessor.MetricsTransformProcessorFactory;
import dev.kansoku.contrib.resourceprocessor.ResourceProcessorFactory;
import dev.kansoku.contrib.statsdreceiver.StatsdReceiverFactory;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.config.ServiceConfig;
import dev.kansoku.pipeline.testing.TestComponents;
import java.util.List;

/**
 * A collector configuration with this module's components, run in memory: data goes in through the
 * {@code push} receiver (or this module's receivers) and is read back from the {@code capture} exporter.
 */
public final class TestService implements AutoCloseable {
  private final TestComponents components;
  private final Service service;

  private TestService(TestComponents components, Service service) {
    this.components = components;
    this.service = service;
  }

  private static ComponentRegistry registry(TestComponents components) {
    return components.registry(new ResourceProcessorFactory(), new AttributesProcessorFactory(),
        new FilterProcessorFactory(), new MetricsTransformProcessorFactory(), new StatsdReceiverFactory());
  }

  /** Loads and validates {@code yaml} as {@code kansoku validate} does. */
  public static ServiceConfig load(String yaml) throws ConfigException {
    return new ConfigLoader(registry(new TestComponents())).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null));
  }

  /** Builds and starts {@code yaml}; its exporter must be {@code capture} (and its receiver {@code push} to use send). */
  public static TestService start(String yaml) throws Exception {
    TestComponents components = new TestComponents();
    ComponentRegistry registry = registry(components);
    Service service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml),
        n -> null)), registry);
    service.start();
    return new TestService(components, service);
  }

  /** Pushes {@code data} and returns what reached the exporter for it. */
  public <T> T roundTrip(Signal<T> signal, T data) throws ConsumeException {
    List<T> received = send(signal, data);
    if (received.size() != 1) {
      throw new AssertionError("expected one batch, got " + received.size());
    }
    return received.get(0);
  }

  /** Pushes {@code data} and returns the batches that reached the exporter for it (none when all was dropped). */
  public <T> List<T> send(Signal<T> signal, T data) throws ConsumeException {
    components.exporter("capture").clear();
    components.receiver("push").push(signal, data);
    return components.exporter("capture").received(signal);
  }

  /** What the capture exporter received so far, for receivers that deliver on their own schedule. */
  public <T> List<T> received(Signal<T> signal) {
    return components.exporter("capture").received(signal);
  }

  @Override
  public void close() {
    service.shutdown();
  }
}
