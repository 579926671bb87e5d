package dev.kansoku.store.embedded;

import static java.util.Objects.requireNonNull;

import dev.kansoku.store.Names;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * The names the console offers (services, operations, log groups and streams, metric namespaces,
 * names and dimension keys), from the blocks' name lists and the heads. Thread-safe.
 */
final class NameLists implements Names {
  private final Supplier<State> opened;

  /** {@code opened} gives the current state, opening the store first. */
  NameLists(Supplier<State> opened) {
    this.opened = opened;
  }

  @Override
  public List<String> services() {
    State st = opened.get();
    TreeSet<String> out = new TreeSet<>();
    // The RED rollups hold exactly the entry spans' services (see Names#services), for every block,
    // old or new: a block without its rollup file gets one when the store opens.
    st.spans().stream().filter(b -> b.red != null).forEach(b -> out.addAll(b.red.services()));
    st.heads().forEach(h -> out.addAll(h.red.services()));
    return List.copyOf(out);
  }

  @Override
  public List<String> operations(String serviceName) {
    requireNonNull(serviceName, "serviceName");
    State st = opened.get();
    TreeSet<String> out = new TreeSet<>();
    st.spans().forEach(b -> b.names.forEach(t -> {
      if (t[0].equals(serviceName)) {
        out.add(t[1]);
      }
    }));
    st.heads().forEach(h -> h.forEachSpan(s -> {
      if (s.serviceName().equals(serviceName)) {
        out.add(s.name());
      }
    }));
    return List.copyOf(out);
  }

  @Override
  public List<String> logGroups() {
    State st = opened.get();
    TreeSet<String> out = new TreeSet<>();
    st.logs().forEach(b -> b.names.forEach(t -> out.add(t[0])));
    st.heads().forEach(h -> h.forEachLog(Long.MIN_VALUE, Long.MAX_VALUE, s -> out.add(s.record().logGroup())));
    return List.copyOf(out);
  }

  @Override
  public List<String> logStreams(String logGroup) {
    requireNonNull(logGroup, "logGroup");
    State st = opened.get();
    TreeSet<String> out = new TreeSet<>();
    st.logs().forEach(b -> b.names.forEach(t -> {
      if (t[0].equals(logGroup)) {
        out.add(t[1]);
      }
    }));
    st.heads().forEach(h -> h.forEachLog(Long.MIN_VALUE, Long.MAX_VALUE, s -> {
      if (s.record().logGroup().equals(logGroup)) {
        out.add(s.record().logStream());
      }
    }));
    return List.copyOf(out);
  }

  @Override
  public List<String> metricNamespaces() {
    State st = opened.get();
    TreeSet<String> out = new TreeSet<>();
    st.metrics().forEach(b -> b.names.forEach(t -> out.add(t[0])));
    st.heads().forEach(h -> h.forEachPoint(p -> out.add(p.namespace())));
    return List.copyOf(out);
  }

  @Override
  public List<String> metricNames(String namespace) {
    requireNonNull(namespace, "namespace");
    State st = opened.get();
    TreeSet<String> out = new TreeSet<>();
    st.metrics().forEach(b -> b.names.forEach(t -> {
      if (t[0].equals(namespace)) {
        out.add(t[1]);
      }
    }));
    st.heads().forEach(h -> h.forEachPoint(p -> {
      if (p.namespace().equals(namespace)) {
        out.add(p.name());
      }
    }));
    return List.copyOf(out);
  }

  @Override
  public List<String> dimensionKeys(String namespace, String metricName) {
    requireNonNull(namespace, "namespace");
    requireNonNull(metricName, "metricName");
    State st = opened.get();
    TreeSet<String> out = new TreeSet<>();
    st.metrics().forEach(b -> b.names.forEach(t -> {
      if (t[0].equals(namespace) && t[1].equals(metricName) && !t[2].isEmpty()) {
        out.add(t[2]);
      }
    }));
    st.heads().forEach(h -> h.forEachPoint(p -> {
      if (p.namespace().equals(namespace) && p.name().equals(metricName)) {
        out.addAll(p.dimensions().keySet());
      }
    }));
    return List.copyOf(out);
  }
}
