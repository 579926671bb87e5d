package dev.kansoku.pipeline.testing;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentFactory;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Consumers;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Receiver;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.pipeline.builtin.BatchProcessorFactory;
import dev.kansoku.pipeline.builtin.BearerTokenAuthExtensionFactory;
import dev.kansoku.pipeline.builtin.DebugExporterFactory;
import dev.kansoku.pipeline.builtin.MemoryLimiterProcessorFactory;
import dev.kansoku.pipeline.builtin.NopExporterFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real in-memory components for tests: a {@code push} receiver whose pipeline entries a test calls
 * directly, and a {@code capture} exporter that keeps what it receives. Instances are found by id
 * through the registry that created them.
 */
public final class TestComponents {
  private final Map<String, PushReceiver> receivers = new ConcurrentHashMap<>();
  private final Map<String, CaptureExporter> exporters = new ConcurrentHashMap<>();

  /** The built-in components plus push, capture and {@code extra}; no {@code awsxray}. */
  public ComponentRegistry registry(ComponentFactory<?>... extra) {
    ComponentRegistry.Builder b = ComponentRegistry.builder();
    for (ComponentFactory<?> f : extra) {
      b.add(f);
    }
    return b
        .add(new MemoryLimiterProcessorFactory())
        .add(new BatchProcessorFactory())
        .add(new DebugExporterFactory())
        .add(new NopExporterFactory())
        .add(new BearerTokenAuthExtensionFactory())
        .add(new PushReceiverFactory())
        .add(new CaptureExporterFactory())
        .build();
  }

  public PushReceiver receiver(String id) {
    return receivers.get(id);
  }

  public CaptureExporter exporter(String id) {
    return exporters.get(id);
  }

  /** Settings of push and capture: none. */
  public static final class NoConfig {}

  /** Hands data to its pipelines when a test calls {@link #push}. */
  public static final class PushReceiver implements Receiver {
    private final Consumers consumers;
    private volatile boolean started;

    PushReceiver(Consumers consumers) {
      this.consumers = consumers;
    }

    @Override
    public void start(Host host) {
      started = true;
    }

    @Override
    public void shutdown() {
      started = false;
    }

    public boolean started() {
      return started;
    }

    /** The admission gate the service gave this receiver for {@code signal}. */
    public dev.kansoku.pipeline.Admission admission(Signal<?> signal) {
      return consumers.admission(signal);
    }

    public <T> void push(Signal<T> signal, T data) throws dev.kansoku.pipeline.ConsumeException {
      consumers.get(signal).orElseThrow(() -> new IllegalStateException("no " + signal + " pipeline")).consume(data);
    }
  }

  /** Keeps every batch it receives, per signal; thread-safe. */
  public static final class CaptureExporter implements Exporter {
    private final Map<Signal<?>, List<Object>> received = new ConcurrentHashMap<>();
    private volatile boolean shutDown;

    @Override
    public <T> DataConsumer<T> consumer(Signal<T> signal) {
      return data -> {
        synchronized (received) {
          received.computeIfAbsent(signal, s -> new ArrayList<>()).add(data);
        }
      };
    }

    @SuppressWarnings("unchecked")
    public <T> List<T> received(Signal<T> signal) {
      synchronized (received) {
        return new ArrayList<>((List<T>) received.getOrDefault(signal, List.of()));
      }
    }

    public <T> int items(Signal<T> signal) {
      return received(signal).stream().mapToInt(signal::count).sum();
    }

    /** Forgets what was received, so one running service can serve several tests. */
    public void clear() {
      synchronized (received) {
        received.clear();
      }
    }

    @Override
    public void shutdown() {
      shutDown = true;
    }

    public boolean shutDown() {
      return shutDown;
    }
  }

  private final class PushReceiverFactory implements ReceiverFactory<NoConfig> {
    @Override
    public String type() {
      return "push";
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Set<Signal<?>> signals() {
      return Set.copyOf(Signal.ALL);
    }

    @Override
    public Receiver create(NoConfig config, ComponentContext context, Consumers next) {
      PushReceiver r = new PushReceiver(next);
      receivers.put(context.id().toString(), r);
      return r;
    }
  }

  private final class CaptureExporterFactory implements ExporterFactory<NoConfig> {
    @Override
    public String type() {
      return "capture";
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public NoConfig createDefaultConfig() {
      return new NoConfig();
    }

    @Override
    public Set<Signal<?>> signals() {
      return Set.copyOf(Signal.ALL);
    }

    @Override
    public Exporter create(NoConfig config, ComponentContext context) {
      CaptureExporter e = new CaptureExporter();
      exporters.put(context.id().toString(), e);
      return e;
    }
  }
}
