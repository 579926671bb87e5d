package dev.kansoku.store.opensearch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kansoku.model.MetricPoint;
import dev.kansoku.store.MetricQuery;
import dev.kansoku.store.MetricSeries;
import dev.kansoku.store.MetricStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Metric points: writes, queries and the namespace/metric/dimension names. A query reads the
 * metric's points in its window (at most {@code maxPoints}) and aggregates them with {@link
 * MetricStats}, the code every backend shares: CloudWatch's statistics (percentiles from histogram
 * buckets, sample counts of summaries) are not OpenSearch aggregations, and computing them once keeps
 * the backends from drifting. Thread-safe.
 */
final class MetricIndex {
  private final IndexNames names;
  private final Search search;
  private final BulkWriter bulk;
  private final long maxPoints;

  MetricIndex(IndexNames names, Search search, BulkWriter bulk, long maxPoints) {
    this.names = names;
    this.search = search;
    this.bulk = bulk;
    this.maxPoints = maxPoints;
  }

  void write(List<MetricPoint> batch) {
    requireNonNull(batch, "batch");
    List<BulkWriter.Item> items = new ArrayList<>(batch.size());
    ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
    for (MetricPoint p : batch) {
      String id = Documents.pointId(p);
      buf.reset();
      try (JsonGenerator g = OpenSearchClient.JSON.getFactory().createGenerator(buf)) {
        Documents.point(g, p, id, RecordCodec.encode(p));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      items.add(new BulkWriter.Item(names.forTime(p.timeNanos()), id, buf.toByteArray()));
    }
    bulk.write("metric points", items);
  }

  List<MetricSeries> query(MetricQuery q) {
    requireNonNull(q, "query");
    List<MetricPoint> points = new ArrayList<>();
    search.scanAll(names.pattern(), Search.filter(List.of(Search.term("namespace", q.namespace()),
            Search.term("name", q.name()), Search.range("time", q.startNanos(), q.endNanos()))),
        List.of(new Search.Sort("time", false), new Search.Sort("seq", false)), List.of("r"), maxPoints,
        "metric query " + q.namespace() + "/" + q.name(),
        hit -> points.add(RecordCodec.decodePoint(Documents.record(hit.path("_source")))));
    return MetricStats.aggregate(q, points);
  }

  List<String> namespaces() {
    return SpanIndex.sorted(search.distinct(names.pattern(), Search.filter(List.of()), "namespace"));
  }

  List<String> metricNames(String namespace) {
    requireNonNull(namespace, "namespace");
    return SpanIndex.sorted(search.distinct(names.pattern(),
        Search.filter(List.of(Search.term("namespace", namespace))), "name"));
  }

  List<String> dimensionKeys(String namespace, String metric) {
    requireNonNull(namespace, "namespace");
    requireNonNull(metric, "metricName");
    return SpanIndex.sorted(search.distinct(names.pattern(), Search.filter(List.of(
        Search.term("namespace", namespace), Search.term("name", metric))), "dim_keys"));
  }
}
