package dev.kansoku.store;

import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import javax.annotation.Nullable;

/**
 * Derives a {@link ServiceGraph} from traces: the one definition every backend uses.
 *
 * <ul>
 *   <li>A span's service is the trace's ({@link Trace#services()}): a subsegment, however it was sent,
 *       belongs to its segment's service, never to a service of its own name.
 *   <li>Edge between services: a span whose parent (in the same trace) belongs to another service.
 *       The call is measured by the parent when the parent is a CLIENT/PRODUCER span (what the
 *       caller waited), else by the child.
 *   <li>Edge to an inferred node: a CLIENT/PRODUCER span with no child in another service, calling
 *       what {@link InferredNodes} names: an AWS resource or service, else a {@code remote} named by
 *       {@code peer.service}, {@code server.address}, {@code net.peer.name}, the URL's host, an
 *       independent subsegment's own name or {@code db.system}. Such spans without any of those are left out.
 *   <li>Node stats: the spans through which a service was entered — SERVER/CONSUMER spans, roots, and
 *       spans whose parent is in another service. Remote nodes sum their incoming edges.
 *   <li>A service node's resource: that of its entry span that started last (ties: the higher span id),
 *       so every backend picks the same whatever order it reads traces in.
 * </ul>
 * Only spans that started in the window count. Not thread-safe: one builder per request.
 */
public final class ServiceGraphBuilder {
  /** Which of a service's entry spans gives its node's resource: the later start, then the higher id. */
  private static final Comparator<SpanRecord> LATEST = Comparator
      .comparingLong(SpanRecord::startNanos).thenComparingLong(s -> s.spanId().value());

  private final long startNanos;
  private final long endNanos;
  private final Map<String, Acc> nodes = new TreeMap<>();
  private final Map<String, Acc> remotes = new TreeMap<>();
  private final Map<String, String> remoteTypes = new TreeMap<>();
  private final Map<String, Acc> edges = new TreeMap<>();

  public ServiceGraphBuilder(long startNanos, long endNanos) {
    if (endNanos < startNanos) {
      throw new IllegalArgumentException("end < start: " + endNanos + " < " + startNanos);
    }
    this.startNanos = startNanos;
    this.endNanos = endNanos;
  }

  /** Adds the calls of one trace. */
  public ServiceGraphBuilder add(Trace trace) {
    Map<SpanId, String> services = trace.services();
    for (Call c : calls(trace, services)) {
      if (c.measured.startNanos() < startNanos || c.measured.startNanos() >= endNanos) {
        continue;
      }
      edges.computeIfAbsent(c.from + "\u0000" + c.to, k -> new Acc()).add(c.measured);
      if (c.remoteType != null) {
        remotes.computeIfAbsent(c.to, k -> new Acc()).add(c.measured);
        remoteTypes.putIfAbsent(c.to, c.remoteType);
      }
    }
    Map<SpanId, SpanRecord> byId = trace.byId();
    for (SpanRecord s : trace.spans()) {
      if (s.startNanos() < startNanos || s.startNanos() >= endNanos) {
        continue;
      }
      String service = services.get(s.spanId());
      Acc node = nodes.computeIfAbsent(service, k -> new Acc());
      SpanRecord parent = trace.parentOf(s, byId);
      if (s.kind().isIncoming() || parent == null || !services.get(parent.spanId()).equals(service)) {
        node.add(s);
      }
    }
    return this;
  }

  public ServiceGraph build() {
    List<ServiceGraph.Node> n = new ArrayList<>();
    nodes.forEach((name, acc) -> n.add(new ServiceGraph.Node(name, false, ServiceGraph.Node.SERVICE,
        acc.latest == null ? Map.of() : acc.latest.resourceAttributes(), acc.stats())));
    // A peer name that is also an instrumented service is that service, not a second node.
    remotes.forEach((name, acc) -> {
      if (!nodes.containsKey(name)) {
        n.add(new ServiceGraph.Node(name, true, remoteTypes.get(name), Map.of(), acc.stats()));
      }
    });
    n.sort(Comparator.comparing(ServiceGraph.Node::name));
    List<ServiceGraph.Edge> e = new ArrayList<>();
    edges.forEach((key, acc) -> {
      String[] parts = key.split("\u0000", -1);
      e.add(new ServiceGraph.Edge(parts[0], parts[1], !nodes.containsKey(parts[1]), acc.stats()));
    });
    return new ServiceGraph(startNanos, endNanos, n, e);
  }

  /** Whether the trace holds a call from {@code from} to {@code to} (X-Ray's {@code edge(a, b)}). */
  public static boolean hasEdge(Trace trace, String from, String to) {
    for (Call c : calls(trace, trace.services())) {
      if (c.from.equals(from) && c.to.equals(to)) {
        return true;
      }
    }
    return false;
  }

  /** A call; {@code remoteType} is the inferred node's type, null for a call to a service. */
  private record Call(String from, String to, @Nullable String remoteType, SpanRecord measured) {}

  private static List<Call> calls(Trace trace, Map<SpanId, String> services) {
    Map<SpanId, SpanRecord> byId = trace.byId();
    Set<SpanId> answered = new HashSet<>();
    List<Call> calls = new ArrayList<>();
    for (SpanRecord s : trace.spans()) {
      SpanRecord parent = trace.parentOf(s, byId);
      String service = services.get(s.spanId());
      if (parent != null && !services.get(parent.spanId()).equals(service)) {
        answered.add(parent.spanId());
        calls.add(new Call(services.get(parent.spanId()), service, null, parent.kind().isOutgoing() ? parent : s));
      }
    }
    for (SpanRecord s : trace.spans()) {
      if (!s.kind().isOutgoing() || answered.contains(s.spanId())) {
        continue;
      }
      String service = services.get(s.spanId());
      InferredNodes.Peer peer = InferredNodes.of(s, service);
      if (peer != null && !peer.name().equals(service)) {
        calls.add(new Call(service, peer.name(), peer.type(), s));
      }
    }
    return calls;
  }

  /** Mutable accumulator; confined to the builder. */
  private static final class Acc {
    long requests;
    long errors;
    long faults;
    long throttles;
    long totalNanos;
    final long[] histogram = new long[ServiceGraph.RequestStats.BUCKET_BOUNDS_MILLIS.size() + 1];
    @Nullable SpanRecord latest;

    void add(SpanRecord s) {
      if (latest == null || LATEST.compare(s, latest) > 0) {
        latest = s;
      }
      requests++;
      errors += s.isError() ? 1 : 0;
      faults += s.isFault() ? 1 : 0;
      throttles += s.isThrottle() ? 1 : 0;
      totalNanos += s.durationNanos();
      histogram[bucket(s.durationNanos())]++;
    }

    ServiceGraph.RequestStats stats() {
      List<Long> h = new ArrayList<>(histogram.length);
      for (long c : histogram) {
        h.add(c);
      }
      return new ServiceGraph.RequestStats(requests, errors, faults, throttles, totalNanos, h);
    }
  }

  static int bucket(long nanos) {
    List<Long> bounds = ServiceGraph.RequestStats.BUCKET_BOUNDS_MILLIS;
    for (int i = 0; i < bounds.size(); i++) {
      if (nanos <= bounds.get(i) * 1_000_000L) {
        return i;
      }
    }
    return bounds.size();
  }
}
