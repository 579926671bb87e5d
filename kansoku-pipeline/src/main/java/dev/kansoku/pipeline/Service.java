package dev.kansoku.pipeline;

import dev.kansoku.pipeline.config.PipelineConfig;
import dev.kansoku.pipeline.config.ServiceConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running graph: extensions, exporters, per-pipeline processor chains and receivers, created
 * from a validated {@link ServiceConfig}. Construction does no I/O; {@link #start} starts
 * downstream before upstream (extensions, exporters, processors, receivers) and {@link #shutdown}
 * stops in the reverse direction, so batches flush into exporters that are still running.
 *
 * <p>Thread-safety: start and shutdown are called from one thread; shutdown is idempotent.
 */
public final class Service implements Host {
  private static final Logger log = LoggerFactory.getLogger(Service.class);

  private final Map<ComponentId, Extension> extensions = new LinkedHashMap<>();
  private final Map<ComponentId, Exporter> exporters = new LinkedHashMap<>();
  /** Each pipeline's processors, first to last. */
  private final Map<ComponentId, List<Processor<?>>> processors = new LinkedHashMap<>();
  private final Map<ComponentId, Receiver> receivers = new LinkedHashMap<>();
  /** Each pipeline's admission gates (its memory_limiters), first to last. */
  private final Map<ComponentId, List<Admission>> admissions = new LinkedHashMap<>();
  /** Objects shared by the components of one kind and id (e.g. one memory checker for all pipelines). */
  private final Map<SharedKey, Map<Class<?>, Object>> shared = new HashMap<>();
  private final Object lifecycleLock = new Object();
  private final Function<String, String> env;
  private boolean shutDown;

  private Service(ServiceConfig config, ComponentRegistry registry, Function<String, String> env) {
    this.env = env;
    for (ComponentId id : config.extensions()) {
      ExtensionFactory<Object> f = factory(registry, ComponentKind.EXTENSION, id);
      extensions.put(id, f.create(config.config(ComponentKind.EXTENSION, id), context(ComponentKind.EXTENSION, id)));
    }
    for (PipelineConfig p : config.pipelines()) {
      for (ComponentId id : p.exporters()) {
        if (!exporters.containsKey(id)) {
          ExporterFactory<Object> f = factory(registry, ComponentKind.EXPORTER, id);
          exporters.put(id, f.create(config.config(ComponentKind.EXPORTER, id), context(ComponentKind.EXPORTER, id)));
        }
      }
    }
    Map<ComponentId, Map<Signal<?>, List<DataConsumer<?>>>> entries = new LinkedHashMap<>();
    Map<ComponentId, Map<Signal<?>, Set<Admission>>> gates = new LinkedHashMap<>();
    for (PipelineConfig p : config.pipelines()) {
      DataConsumer<?> entry = buildPipeline(p, p.signal(), config, registry);
      for (ComponentId r : p.receivers()) {
        entries.computeIfAbsent(r, k -> new LinkedHashMap<>())
            .computeIfAbsent(p.signal(), k -> new ArrayList<>()).add(entry);
        // One memory_limiter named by several pipelines is one gate: asked once per request.
        gates.computeIfAbsent(r, k -> new LinkedHashMap<>())
            .computeIfAbsent(p.signal(), k -> Collections.newSetFromMap(new IdentityHashMap<>()))
            .addAll(admissions.get(p.id()));
      }
    }
    entries.forEach((id, bySignal) -> {
      Map<Signal<?>, DataConsumer<?>> fanouts = new LinkedHashMap<>();
      bySignal.forEach((signal, list) -> fanouts.put(signal, fanout(list)));
      Map<Signal<?>, Admission> admission = new LinkedHashMap<>();
      gates.get(id).forEach((signal, set) -> admission.put(signal, Admission.all(new ArrayList<>(set))));
      ReceiverFactory<Object> f = factory(registry, ComponentKind.RECEIVER, id);
      receivers.put(id, f.create(config.config(ComponentKind.RECEIVER, id), context(ComponentKind.RECEIVER, id),
          new Consumers(fanouts, admission)));
    });
  }

  private record SharedKey(ComponentKind kind, ComponentId id) {}

  /** Creates every component of {@code config}, in the process's environment; nothing is started. */
  public static Service create(ServiceConfig config, ComponentRegistry registry) {
    return create(config, registry, System::getenv);
  }

  /**
   * Creates every component of {@code config}; they read environment variables from {@code env}
   * (see {@link ComponentContext#env}). Nothing is started.
   */
  public static Service create(ServiceConfig config, ComponentRegistry registry, Function<String, String> env) {
    return new Service(config, registry, env);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static <T> DataConsumer<T> fanout(List<DataConsumer<?>> list) {
    return FanoutConsumer.of((List) list);
  }

  private <T> DataConsumer<T> buildPipeline(PipelineConfig p, Signal<T> signal, ServiceConfig config,
      ComponentRegistry registry) {
    List<DataConsumer<T>> outs = new ArrayList<>();
    for (ComponentId id : p.exporters()) {
      outs.add(exporters.get(id).consumer(signal));
    }
    DataConsumer<T> next = FanoutConsumer.of(outs);
    List<Processor<?>> chain = new ArrayList<>();
    List<Admission> gates = new ArrayList<>();
    for (int i = p.processors().size() - 1; i >= 0; i--) {
      ComponentId id = p.processors().get(i);
      ProcessorFactory<Object> f = factory(registry, ComponentKind.PROCESSOR, id);
      Processor<T> proc = f.create(config.config(ComponentKind.PROCESSOR, id), context(ComponentKind.PROCESSOR, id),
          signal, next);
      chain.add(0, proc);
      if (proc instanceof Admission.Source source) {
        gates.add(0, source.admission());
      }
      next = proc;
    }
    processors.put(p.id(), chain);
    admissions.put(p.id(), gates);
    return next;
  }

  @SuppressWarnings("unchecked")
  private static <F> F factory(ComponentRegistry registry, ComponentKind kind, ComponentId id) {
    ComponentFactory<?> f = registry.factory(kind, id.type()).orElseThrow();
    if (!f.type().equals(id.type())) {
      // As the collector says it when it builds a component named by a deprecated alias.
      log.warn("{} {}: \"{}\" alias is deprecated; use \"{}\" instead", kind.singular(), id, id.type(), f.type());
    }
    return (F) f;
  }

  private ComponentContext context(ComponentKind kind, ComponentId id) {
    SharedKey key = new SharedKey(kind, id);
    return new ComponentContext() {
      @Override
      public ComponentId id() {
        return id;
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        synchronized (shared) {
          return type.cast(shared.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(type, t -> create.get()));
        }
      }

      @Override
      public Function<String, String> env() {
        return env;
      }
    };
  }

  /**
   * Starts every component, downstream first. When one fails, what was started is shut down again
   * and the failure is thrown with the component's id.
   */
  public void start() throws Exception {
    synchronized (lifecycleLock) {
      long t0 = System.nanoTime();
      try {
        startAll(ComponentKind.EXTENSION, extensions);
        startAll(ComponentKind.EXPORTER, exporters);
        for (Map.Entry<ComponentId, List<Processor<?>>> e : processors.entrySet()) {
          List<Processor<?>> chain = e.getValue();
          for (int i = chain.size() - 1; i >= 0; i--) {
            startOne("pipeline " + e.getKey() + " processor #" + (i + 1), chain.get(i));
          }
        }
        startAll(ComponentKind.RECEIVER, receivers);
      } catch (Exception e) {
        shutdown();
        throw e;
      }
      watchers().forEach(PipelineWatcher::ready);
      log.info("Started {} pipeline(s) in {} ms", processors.size(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private List<PipelineWatcher> watchers() {
    return extensions.values().stream().flatMap(e -> e.offered(PipelineWatcher.class).stream()).toList();
  }

  private void startAll(ComponentKind kind, Map<ComponentId, ? extends Component> components) throws Exception {
    for (Map.Entry<ComponentId, ? extends Component> e : components.entrySet()) {
      startOne(kind.singular() + " \"" + e.getKey() + "\"", e.getValue());
    }
  }

  private void startOne(String what, Component c) throws Exception {
    try {
      c.start(this);
    } catch (Exception e) {
      throw new Exception("cannot start " + what + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops receivers first, then each pipeline's processors from first to last (flushing batches),
   * exporters (draining their queues) and extensions last. Idempotent.
   */
  public void shutdown() {
    synchronized (lifecycleLock) {
      if (shutDown) {
        return;
      }
      shutDown = true;
      long t0 = System.nanoTime();
      watchers().forEach(PipelineWatcher::notReady);
      receivers.values().forEach(Service::stopQuietly);
      for (List<Processor<?>> chain : processors.values()) {
        chain.forEach(Service::stopQuietly);
      }
      exporters.values().forEach(Service::stopQuietly);
      List<Extension> ext = new ArrayList<>(extensions.values());
      for (int i = ext.size() - 1; i >= 0; i--) {
        stopQuietly(ext.get(i));
      }
      log.info("Stopped in {} ms", (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static void stopQuietly(Component c) {
    try {
      c.shutdown();
    } catch (RuntimeException e) {
      log.warn("Shutdown of {} failed", c, e);
    }
  }

  @Override
  public <E> Optional<E> extension(ComponentId id, Class<E> type) {
    Extension e = extensions.get(id);
    return e == null ? Optional.empty() : e.offered(type);
  }

  @Override
  public <E> List<E> extensions(Class<E> type) {
    return extensions.values().stream().flatMap(e -> e.offered(type).stream()).toList();
  }
}
