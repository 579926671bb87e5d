package dev.kansoku.prometheus.discovery;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.FilterWatchListDeletable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the Kubernetes API for one {@code kubernetes_sd_configs} entry. Informers (list, then watch) keep a
 * local copy of the role's objects and of those its labels draw on (services and pods for the endpoints
 * roles, nodes and namespaces for attach_metadata); a change enqueues the affected object's key, and one
 * worker thread rebuilds its group from the copies and hands it on, so updates are never concurrent.
 */
final class KubernetesDiscovery implements TargetDiscovery, KubernetesTargets.Objects {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesDiscovery.class);
  private static final String POD_INDEX = "pod";
  private static final String NODE_INDEX = "node";
  private static final String SERVICE_INDEX = "service";

  private final KubernetesClient client;
  private final KubernetesSdConfig settings;
  private final String server;
  private final KubernetesTargets targets;
  private final KubernetesEndpointTargets endpointTargets;
  private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
  /** The role's own informers, one per watched namespace ("" when all are watched). */
  private final Map<String, SharedIndexInformer<? extends HasMetadata>> primary = new LinkedHashMap<>();
  private final Map<String, SharedIndexInformer<Service>> services = new LinkedHashMap<>();
  private final Map<String, SharedIndexInformer<Pod>> pods = new LinkedHashMap<>();
  private SharedIndexInformer<Node> nodes;
  private SharedIndexInformer<Namespace> namespaceInformer;
  private final ExecutorService worker;
  private final Set<String> pending = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean failing = new AtomicBoolean();
  private volatile Consumer<List<TargetGroup>> updates;
  private volatile boolean initialSent;
  private volatile boolean closed;

  private KubernetesDiscovery(KubernetesClient client, KubernetesSdConfig settings, List<String> namespaces) {
    this.client = client;
    this.settings = settings;
    this.server = client.getMasterUrl().toString();
    this.targets = new KubernetesTargets(this, settings.attachMetadata.node);
    this.endpointTargets = new KubernetesEndpointTargets(targets);
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "kubernetes-sd-" + settings.role);
      thread.setDaemon(true);
      return thread;
    });
    if (settings.attachMetadata.node && List.of("pod", "endpoints", "endpointslice").contains(settings.role)) {
      nodes = informer(client.nodes(), "node");
    }
    if (settings.attachMetadata.namespace && !"node".equals(settings.role)) {
      namespaceInformer = informer(client.namespaces(), null);
    }
    for (String ns : namespaces) {
      switch (settings.role) {
        case "pod" -> primary.put(ns, informer(in(client.pods(), ns), "pod"));
        case "service" -> primary.put(ns, informer(in(client.services(), ns), "service"));
        case "ingress" -> primary.put(ns, informer(in(client.network().v1().ingresses(), ns), "ingress"));
        case "endpoints" -> primary.put(ns, informer(in(client.endpoints(), ns), "endpoints"));
        case "endpointslice" ->
            primary.put(ns, informer(in(client.discovery().v1().endpointSlices(), ns), "endpointslice"));
        default -> { }
      }
      if (settings.role.startsWith("endpoint")) {
        services.put(ns, informer(in(client.services(), ns), "service"));
        pods.put(ns, informer(in(client.pods(), ns), "pod"));
      }
    }
    if ("node".equals(settings.role)) {
      primary.put("", nodes = informer(client.nodes(), "node"));
    }
    watchRelated();
  }

  static KubernetesDiscovery open(KubernetesSdConfig settings, Path serviceAccount, Map<String, String> env) {
    List<String> namespaces = new ArrayList<>(settings.namespaces.names);
    if (settings.namespaces.ownNamespace && settings.apiServer == null && settings.kubeconfigFile == null) {
      namespaces.add(KubernetesClients.ownNamespace(serviceAccount));
    }
    if (namespaces.isEmpty()) {
      namespaces.add("");
    }
    KubernetesClient client = KubernetesClients.connect(settings, serviceAccount, env);
    return new KubernetesDiscovery(client, settings, List.copyOf(new LinkedHashSet<>(namespaces)));
  }

  /** Wires the events that change a group: its own object's, and those of the objects its labels draw on. */
  @SuppressWarnings("unchecked")
  private void watchRelated() {
    for (SharedIndexInformer<? extends HasMetadata> informer : primary.values()) {
      ((SharedIndexInformer<HasMetadata>) informer)
          .addEventHandler(handler(o -> enqueue(Cache.metaNamespaceKeyFunc(o))));
    }
    switch (settings.role) {
      case "endpoints" -> {
        index(POD_INDEX, (Endpoints e) -> podKeys(e));
        index(NODE_INDEX, (Endpoints e) -> endpointNodes(e));
        services.values().forEach(i -> i.addEventHandler(handler(svc -> {
          String key = Cache.metaNamespaceKeyFunc(svc);
          if (primaryObject(key) != null) {
            enqueue(key);
          }
        })));
        // Prometheus follows a pod's phase only: its other labels show on the next endpoints change.
        pods.values().forEach(i -> i.addEventHandler(new ResourceEventHandler<Pod>() {
          @Override
          public void onAdd(Pod pod) {}

          @Override
          public void onUpdate(Pod old, Pod pod) {
            if (!Objects.equals(phase(old), phase(pod))) {
              enqueueIndexed(POD_INDEX, Cache.metaNamespaceKeyFunc(pod));
            }
          }

          @Override
          public void onDelete(Pod pod, boolean unknownFinalState) {}
        }));
      }
      case "endpointslice" -> {
        index(SERVICE_INDEX, (EndpointSlice s) -> {
          String svc = s.getMetadata().getLabels() == null ? null
              : s.getMetadata().getLabels().get(KubernetesEndpointTargets.SERVICE_NAME_LABEL);
          return svc == null ? List.of() : List.of(s.getMetadata().getNamespace() + "/" + svc);
        });
        index(NODE_INDEX, (EndpointSlice s) -> s.getEndpoints().stream().map(e -> e.getTargetRef() != null
            && "Node".equals(e.getTargetRef().getKind()) ? e.getTargetRef().getName() : e.getNodeName())
            .filter(Objects::nonNull).toList());
        services.values().forEach(i -> i.addEventHandler(
            handler(svc -> enqueueIndexed(SERVICE_INDEX, Cache.metaNamespaceKeyFunc(svc)))));
      }
      case "pod" -> index(NODE_INDEX, (Pod p) -> p.getSpec() == null || p.getSpec().getNodeName() == null
          ? List.of() : List.of(p.getSpec().getNodeName()));
      default -> { }
    }
    if (nodes != null && !"node".equals(settings.role)) {
      nodes.addEventHandler(handler(node -> enqueueIndexed(NODE_INDEX, node.getMetadata().getName())));
    }
    if (namespaceInformer != null) {
      namespaceInformer.addEventHandler(
          handler(ns -> enqueueIndexed(Cache.NAMESPACE_INDEX, ns.getMetadata().getName())));
    }
  }

  @SuppressWarnings("unchecked")
  private <T extends HasMetadata> void index(String name, Function<T, List<String>> keys) {
    for (SharedIndexInformer<? extends HasMetadata> informer : primary.values()) {
      ((SharedIndexInformer<T>) informer).addIndexers(Map.of(name, keys));
    }
  }

  private static List<String> podKeys(Endpoints endpoints) {
    List<String> keys = new ArrayList<>();
    for (EndpointSubset subset : endpoints.getSubsets()) {
      subset.getAddresses().stream().map(a -> a.getTargetRef())
          .filter(ref -> ref != null && "Pod".equals(ref.getKind()))
          .forEach(ref -> keys.add(ref.getNamespace() + "/" + ref.getName()));
    }
    return keys;
  }

  private static List<String> endpointNodes(Endpoints endpoints) {
    List<String> nodes = new ArrayList<>();
    for (EndpointSubset subset : endpoints.getSubsets()) {
      subset.getAddresses().forEach(a -> {
        ObjectReference ref = a.getTargetRef();
        if (ref != null && "Pod".equals(ref.getKind()) && a.getNodeName() != null) {
          nodes.add(a.getNodeName());
        } else if (ref != null && "Node".equals(ref.getKind())) {
          nodes.add(ref.getName());
        }
      });
    }
    return nodes;
  }

  private static String phase(Pod pod) {
    return pod.getStatus() == null ? null : pod.getStatus().getPhase();
  }

  private static <T extends HasMetadata, L, R extends Resource<T>> FilterWatchListDeletable<T, L, R> in(
      MixedOperation<T, L, R> op, String ns) {
    return ns.isEmpty() ? op.inAnyNamespace() : op.inNamespace(ns);
  }

  /** An informer (not yet running) over the objects the selectors of {@code selectorRole} let through. */
  private <T extends HasMetadata, L, R> SharedIndexInformer<T> informer(FilterWatchListDeletable<T, L, R> op,
      String selectorRole) {
    for (KubernetesSdConfig.Selector selector : settings.selectors) {
      if (!selector.role.equals(selectorRole)) {
        continue;
      }
      if (selector.label != null && !selector.label.isBlank()) {
        op = op.withLabelSelector(selector.label);
      }
      for (KubernetesSelectors.FieldTerm term : KubernetesSelectors.parseFieldSelector("field", selector.field)) {
        op = term.negated() ? op.withoutField(term.key(), term.value()) : op.withField(term.key(), term.value());
      }
    }
    SharedIndexInformer<T> informer = op.runnableInformer(0);
    informer.exceptionHandler(this::retry);
    informers.add(informer);
    return informer;
  }

  /** Every list or watch failure is retried, as Prometheus's informers do; the log says so once per outage. */
  private boolean retry(boolean started, Throwable error) {
    if (closed) {
      return false;
    }
    if (failing.compareAndSet(false, true)) {
      LOG.warn("kubernetes_sd_configs (role {}): the Kubernetes API at {} fails, retrying: {}",
          settings.role, server, rootMessage(error));
    } else {
      LOG.debug("kubernetes_sd_configs (role {}): still failing at {}", settings.role, server, error);
    }
    return true;
  }

  private static String rootMessage(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? String.valueOf(error.getMessage()) : error.getMessage() + " (" + root + ")";
  }

  @Override
  public void start(Consumer<List<TargetGroup>> updates) {
    this.updates = updates;
    List<CompletableFuture<Void>> started = new ArrayList<>();
    for (SharedIndexInformer<?> informer : informers) {
      started.add(informer.start().toCompletableFuture());
    }
    CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
      if (error == null && !closed) {
        worker.execute(this::sendInitial);
      }
    });
  }

  private void sendInitial() {
    if (failing.compareAndSet(true, false)) {
      LOG.info("kubernetes_sd_configs (role {}): the Kubernetes API at {} answers again", settings.role, server);
    }
    List<TargetGroup> groups = new ArrayList<>();
    for (SharedIndexInformer<? extends HasMetadata> informer : primary.values()) {
      for (HasMetadata object : informer.getStore().list()) {
        TargetGroup group = build(object);
        if (group != null) {
          groups.add(group);
        }
      }
    }
    initialSent = true;
    deliver(groups);
  }

  private void enqueue(String key) {
    if (pending.add(key)) {
      worker.execute(() -> {
        pending.remove(key);
        // Before the first full list, the store already holds this change: the initial groups include it.
        if (initialSent && !closed) {
          TargetGroup group = groupFor(key);
          if (group != null) {
            deliver(List.of(group));
          }
        }
      });
    }
  }

  @SuppressWarnings("unchecked")
  private void enqueueIndexed(String index, String value) {
    for (SharedIndexInformer<? extends HasMetadata> informer : primary.values()) {
      for (HasMetadata object : ((SharedIndexInformer<HasMetadata>) informer).getIndexer().byIndex(index, value)) {
        enqueue(Cache.metaNamespaceKeyFunc(object));
      }
    }
  }

  private TargetGroup groupFor(String key) {
    HasMetadata object = primaryObject(key);
    if (object != null) {
      return build(object);
    }
    String prefix = switch (settings.role) {
      case "service" -> "svc/";
      default -> settings.role + "/";
    };
    return new TargetGroup(prefix + key, List.of(), Map.of());
  }

  private TargetGroup build(HasMetadata object) {
    return switch (settings.role) {
      case "pod" -> targets.pod((Pod) object);
      case "service" -> targets.service((Service) object);
      case "node" -> targets.node((Node) object);
      case "ingress" -> targets.ingress((Ingress) object);
      case "endpoints" -> endpointTargets.endpoints((Endpoints) object);
      default -> endpointTargets.endpointSlice((EndpointSlice) object);
    };
  }

  private void deliver(List<TargetGroup> groups) {
    try {
      updates.accept(groups);
    } catch (RuntimeException e) {
      LOG.error("kubernetes_sd_configs (role {}): the target update failed", settings.role, e);
    }
  }

  private HasMetadata primaryObject(String key) {
    if ("node".equals(settings.role)) {
      return nodes.getStore().getByKey(key);
    }
    return find(primary, key.substring(0, key.indexOf('/')), key);
  }

  private static <T> T find(Map<String, ? extends SharedIndexInformer<? extends T>> byNamespace, String ns,
      String key) {
    SharedIndexInformer<? extends T> informer = byNamespace.get(byNamespace.containsKey("") ? "" : ns);
    return informer == null ? null : informer.getStore().getByKey(key);
  }

  @Override
  public Pod pod(String namespace, String name) {
    return find(pods, namespace, namespace + "/" + name);
  }

  @Override
  public Service service(String namespace, String name) {
    return find(services, namespace, namespace + "/" + name);
  }

  @Override
  public Node node(String name) {
    return settings.attachMetadata.node && nodes != null ? nodes.getStore().getByKey(name) : null;
  }

  @Override
  public Namespace namespace(String name) {
    return namespaceInformer == null ? null : namespaceInformer.getStore().getByKey(name);
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> changed) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T object) {
        changed.accept(object);
      }

      @Override
      public void onUpdate(T old, T object) {
        changed.accept(object);
      }

      @Override
      public void onDelete(T object, boolean unknownFinalState) {
        changed.accept(object);
      }
    };
  }

  @Override
  public void close() {
    closed = true;
    informers.forEach(SharedIndexInformer::stop);
    worker.shutdownNow();
    client.close();
  }
}
