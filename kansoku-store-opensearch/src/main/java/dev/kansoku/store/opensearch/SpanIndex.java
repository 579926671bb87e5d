package dev.kansoku.store.opensearch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.RedQuery;
import dev.kansoku.store.RedRollup;
import dev.kansoku.store.RedSeries;
import dev.kansoku.store.ServiceGraph;
import dev.kansoku.store.ServiceGraphBuilder;
import dev.kansoku.store.Trace;
import dev.kansoku.store.TraceMatcher;
import dev.kansoku.store.TraceQuery;
import dev.kansoku.store.TraceSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spans: writes, traces by id, trace search, service graph, RED and the service/operation names.
 *
 * <p>Trace search reads the spans that started in the query's window, newest first (oldest first
 * for {@code OLDEST_FIRST}), fetches each new trace whole and lets {@link TraceMatcher} judge it: a
 * trace's start is its earliest span's, so every trace in the window has a span there, and no
 * condition is pushed down that the matcher might judge differently. The scan stops once {@code
 * limit} matches are final (no unseen trace can sort before them), or after {@code maxCandidates}
 * traces, when the answer holds the best matches among those and a warning says the window was cut.
 * Thread-safe.
 */
final class SpanIndex {
  private static final Logger log = LoggerFactory.getLogger(SpanIndex.class);
  private static final int PAGE = 1000;
  private static final int FETCH = 200; // trace ids per terms query
  private static final List<String> RECORD = List.of("r", "res");

  private final IndexNames names;
  private final Search search;
  private final BulkWriter bulk;
  private final ResourceIndex resources;
  private final int maxCandidates;
  private final long maxScan;

  SpanIndex(IndexNames names, Search search, BulkWriter bulk, ResourceIndex resources, int maxCandidates,
      long maxScan) {
    this.names = names;
    this.search = search;
    this.bulk = bulk;
    this.resources = resources;
    this.maxCandidates = maxCandidates;
    this.maxScan = maxScan;
  }

  void write(List<SpanRecord> batch) {
    requireNonNull(batch, "batch");
    List<BulkWriter.Item> spans = new ArrayList<>(batch.size());
    ResourceIndex.Batch needed = resources.batch();
    ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
    for (SpanRecord s : batch) {
      String resourceId = needed.add(s.startNanos(), s.resourceAttributes());
      buf.reset();
      try (JsonGenerator g = OpenSearchClient.JSON.getFactory().createGenerator(buf)) {
        Documents.span(g, s, RecordCodec.encode(s), resourceId);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      spans.add(new BulkWriter.Item(names.forTime(s.startNanos()), Documents.spanId(s), buf.toByteArray()));
    }
    List<BulkWriter.Item> items = new ArrayList<>(needed.items());
    items.addAll(spans);
    bulk.write("spans", items);
    needed.acknowledged();
  }

  private SpanRecord decode(JsonNode hit) {
    return RecordCodec.decodeSpan(Documents.record(hit.path("_source")), resources.resource(names, hit));
  }

  // ---- traces by id

  Optional<Trace> trace(TraceId id) {
    requireNonNull(id, "traceId");
    List<Trace> found = traces(List.of(id));
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  List<Trace> traces(Collection<TraceId> ids) {
    requireNonNull(ids, "traceIds");
    Map<TraceId, List<SpanRecord>> spans = fetch(new LinkedHashSet<>(ids));
    List<Trace> out = new ArrayList<>();
    for (TraceId id : new LinkedHashSet<>(ids)) {
      List<SpanRecord> s = spans.get(id);
      if (s != null) {
        out.add(new Trace(id, s));
      }
    }
    return out;
  }

  /** The spans of each trace that has any, a terms query per {@link #FETCH} ids. */
  private Map<TraceId, List<SpanRecord>> fetch(Set<TraceId> ids) {
    Map<TraceId, List<SpanRecord>> out = new HashMap<>();
    List<TraceId> all = new ArrayList<>(ids);
    for (int from = 0; from < all.size(); from += FETCH) {
      List<String> hex = all.subList(from, Math.min(all.size(), from + FETCH)).stream().map(TraceId::hex).toList();
      search.scan(names.pattern(), Search.filter(List.of(Search.terms("trace_id", hex))),
          List.of(new Search.Sort("trace_id", false), new Search.Sort("span_id", false)), PAGE, null, RECORD,
          hits -> resources.prefetch(names, hits), hit -> {
            SpanRecord s = decode(hit);
            out.computeIfAbsent(s.traceId(), k -> new ArrayList<>()).add(s);
            return true;
          });
    }
    return out;
  }

  // ---- trace search

  List<TraceSummary> search(TraceQuery q) {
    requireNonNull(q, "query");
    boolean oldestFirst = q.order() == TraceQuery.Order.OLDEST_FIRST;
    boolean exhaustive = q.order() == TraceQuery.Order.SLOWEST_FIRST;
    Set<TraceId> seen = new LinkedHashSet<>();
    List<TraceSummary> matching = new ArrayList<>();
    List<TraceId> pending = new ArrayList<>();
    long[] frontier = {0};
    boolean[] cut = {false};
    ObjectNode query = Search.filter(List.of(Search.range("start", q.startNanos(), q.endNanos())));
    search.scan(names.pattern(), query, List.of(new Search.Sort("start", !oldestFirst),
            new Search.Sort("trace_id", false), new Search.Sort("span_id", false)), PAGE, null, List.of("trace_id", "start"),
        hit -> {
          JsonNode src = hit.path("_source");
          frontier[0] = src.path("start").asLong();
          TraceId id = TraceId.parse(src.path("trace_id").asText());
          if (seen.add(id)) {
            pending.add(id);
          }
          if (pending.size() >= FETCH) {
            judge(q, pending, matching);
            if (!exhaustive && finalMatches(matching, frontier[0], oldestFirst) >= q.limit()) {
              return false;
            }
          }
          if (seen.size() >= maxCandidates) {
            cut[0] = true;
            return false;
          }
          return true;
        });
    judge(q, pending, matching);
    if (cut[0]) {
      log.warn("trace search: stopped after {} candidate traces (max_trace_candidates); results are the best"
          + " matches among them, narrow the window for an exact answer", maxCandidates);
    }
    return TraceMatcher.finish(q, matching);
  }

  private void judge(TraceQuery q, List<TraceId> ids, List<TraceSummary> matching) {
    if (ids.isEmpty()) {
      return;
    }
    for (Trace t : traces(ids)) {
      if (TraceMatcher.matches(q, t)) {
        matching.add(t.summary());
      }
    }
    ids.clear();
  }

  /** Matches that no unseen trace can precede: unseen traces start beyond {@code frontier}. */
  private static long finalMatches(List<TraceSummary> matching, long frontier, boolean oldestFirst) {
    return matching.stream().filter(s -> oldestFirst ? s.startNanos() <= frontier : s.startNanos() >= frontier)
        .count();
  }

  // ---- service graph and RED

  ServiceGraph graph(long startNanos, long endNanos) {
    ServiceGraphBuilder b = new ServiceGraphBuilder(startNanos, endNanos);
    List<String> ids = search.distinct(names.pattern(),
        Search.filter(List.of(Search.range("start", startNanos, endNanos))), "trace_id");
    Search.bounded(ids.size(), maxCandidates, "service graph");
    List<TraceId> batch = new ArrayList<>();
    for (String hex : ids) {
      batch.add(TraceId.parse(hex));
      if (batch.size() == FETCH) {
        traces(batch).forEach(b::add);
        batch.clear();
      }
    }
    traces(batch).forEach(b::add);
    return b.build();
  }

  /**
   * Reads the entry spans of the window (the filter is {@link RedRollup#isEntry}'s rule) and rolls
   * them up here: the percentiles must come from the same histogram as every other backend's.
   */
  List<RedSeries> red(RedQuery q) {
    requireNonNull(q, "query");
    List<ObjectNode> filters = new ArrayList<>();
    filters.add(Search.range("start", q.startNanos(), q.endNanos()));
    if (q.service() != null) {
      filters.add(Search.term("service", q.service()));
    }
    if (q.operation() != null) {
      filters.add(Search.term("name", q.operation()));
    }
    filters.add(entry());
    RedRollup r = new RedRollup();
    search.scanAll(names.pattern(), Search.filter(filters), List.of(new Search.Sort("start", false),
            new Search.Sort("trace_id", false), new Search.Sort("span_id", false)), RECORD, maxScan, "RED",
        hits -> resources.prefetch(names, hits), hit -> r.add(decode(hit)));
    return RedRollup.series(q, List.of(r), Long.MIN_VALUE);
  }

  /** {@link RedRollup#isEntry}'s rule as a filter: SERVER or CONSUMER, or no parent. */
  private static ObjectNode entry() {
    ObjectNode entry = Search.obj();
    ObjectNode bool = entry.putObject("bool");
    bool.putArray("should").add(Search.terms("kind", List.of(SpanKind.SERVER.name(), SpanKind.CONSUMER.name())))
        .addObject().putObject("bool").putArray("must_not").add(Search.exists("parent_id"));
    bool.put("minimum_should_match", 1);
    return entry;
  }

  // ---- names

  /** The services of entry spans only (see {@code Names#services}). */
  List<String> services() {
    return sorted(search.distinct(names.pattern(), Search.filter(List.of(entry())), "service"));
  }

  List<String> operations(String service) {
    requireNonNull(service, "serviceName");
    return sorted(search.distinct(names.pattern(), Search.filter(List.of(Search.term("service", service))), "name"));
  }

  static List<String> sorted(List<String> values) {
    return values.stream().distinct().sorted().toList();
  }
}
