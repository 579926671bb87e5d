package dev.kansoku.store;

import static java.util.Objects.requireNonNull;

import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.Nullable;

/**
 * All spans of one trace, assembled once here for every backend: spans with the same id are
 * de-duplicated (the later write wins, so a re-sent span replaces its earlier copy), and the list is
 * ordered by start time, parents before children at equal times. The root is the span without a
 * parent, else (a partial trace) the earliest span whose parent is missing. Immutable, thread-safe.
 */
public record Trace(TraceId traceId, List<SpanRecord> spans) {
  private static final Comparator<SpanRecord> ORDER =
      Comparator.comparingLong(SpanRecord::startNanos).thenComparing(s -> s.parentSpanId() != null)
          .thenComparingLong(SpanRecord::endNanos).thenComparingLong(s -> s.spanId().value());

  public Trace {
    requireNonNull(traceId, "traceId");
    requireNonNull(spans, "spans");
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("spans: empty (a trace has at least one span)");
    }
    Map<SpanId, SpanRecord> unique = new LinkedHashMap<>();
    for (SpanRecord s : spans) {
      if (!s.traceId().equals(traceId)) {
        throw new IllegalArgumentException("span " + s.spanId() + ": trace " + s.traceId() + " (expected: " + traceId + ")");
      }
      unique.put(s.spanId(), s);
    }
    List<SpanRecord> sorted = new ArrayList<>(unique.values());
    sorted.sort(ORDER);
    spans = List.copyOf(sorted);
  }

  /** Assembles the spans of one trace, given in any order and possibly repeated. */
  public static Trace of(Collection<SpanRecord> spans) {
    requireNonNull(spans, "spans");
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("spans: empty (a trace has at least one span)");
    }
    return new Trace(spans.iterator().next().traceId(), List.copyOf(spans));
  }

  public SpanRecord root() {
    Map<SpanId, SpanRecord> byId = byId();
    SpanRecord orphan = null;
    for (SpanRecord s : spans) {
      if (s.parentSpanId() == null) {
        return s;
      }
      if (orphan == null && !byId.containsKey(s.parentSpanId())) {
        orphan = s;
      }
    }
    return orphan != null ? orphan : spans.get(0);
  }

  public Map<SpanId, SpanRecord> byId() {
    Map<SpanId, SpanRecord> byId = new HashMap<>();
    for (SpanRecord s : spans) {
      byId.put(s.spanId(), s);
    }
    return byId;
  }

  /** The parent span within this trace, or null for roots and spans whose parent never arrived. */
  @Nullable
  public SpanRecord parentOf(SpanRecord span, Map<SpanId, SpanRecord> byId) {
    return span.parentSpanId() == null ? null : byId.get(span.parentSpanId());
  }

  /**
   * Each span's service ({@link Trace}'s rule), by span id. A span whose parent is missing keeps its
   * own service name until the parent arrives; a parent loop ends at the span that closes it.
   */
  public Map<SpanId, String> services() {
    Map<SpanId, SpanRecord> byId = byId();
    Map<SpanId, String> out = new HashMap<>();
    for (SpanRecord s : spans) {
      out.put(s.spanId(), serviceOf(s, byId, out));
    }
    return out;
  }

  private String serviceOf(SpanRecord span, Map<SpanId, SpanRecord> byId, Map<SpanId, String> known) {
    List<SpanRecord> chain = new ArrayList<>();
    Set<SpanId> seen = new HashSet<>();
    SpanRecord at = span;
    String service;
    while (true) {
      service = known.get(at.spanId());
      if (service != null) {
        break;
      }
      SpanRecord parent = parentOf(at, byId);
      if (at.kind().isIncoming() || parent == null || !seen.add(at.spanId())) {
        service = at.serviceName();
        break;
      }
      chain.add(at);
      at = parent;
    }
    for (SpanRecord s : chain) {
      known.put(s.spanId(), service);
    }
    return service;
  }

  public long startNanos() {
    return spans.get(0).startNanos();
  }

  public long endNanos() {
    long end = Long.MIN_VALUE;
    for (SpanRecord s : spans) {
      end = Math.max(end, s.endNanos());
    }
    return end;
  }

  /** From the first span's start to the last span's end (X-Ray's "duration"). */
  public long durationNanos() {
    return endNanos() - startNanos();
  }

  public TraceSummary summary() {
    SpanRecord root = root();
    TreeSet<String> services = new TreeSet<>(services().values());
    boolean error = false;
    boolean fault = false;
    boolean throttle = false;
    for (SpanRecord s : spans) {
      error |= s.isError();
      fault |= s.isFault();
      throttle |= s.isThrottle();
    }
    return new TraceSummary(traceId, root.serviceName(), root.name(), root.spanId(), startNanos(), durationNanos(),
        root.durationNanos(), spans.size(), List.copyOf(services), error, fault, throttle, root.httpMethod(),
        root.httpStatus(), root.httpUrl());
  }
}
