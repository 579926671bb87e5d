package dev.kansoku.store.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.store.Retention;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * Retention over daily indices: an index whose whole day is before the cutoff is counted and
 * deleted (cheap: files go, nothing is rewritten); the index of the day the cutoff falls in loses
 * its older documents by {@code _delete_by_query}; later indices are untouched. Each signal's time
 * field is the one its index is chosen by, so this removes exactly the records older than the
 * cutoff. Resources indices go with their whole day; on the cutoff's day they stay (they are small,
 * and records of that day still refer to them). Indices are refreshed first so documents written
 * without {@code refresh} are counted.
 * Thread-safe; concurrent writes into a day being deleted may go uncounted.
 */
final class IndexRetention implements Retention {
  private static final String OPTIONS = "?ignore_unavailable=true&allow_no_indices=true";

  private final OpenSearchClient client;
  private final IndexNames spans;
  private final IndexNames logs;
  private final IndexNames metrics;
  private final ResourceIndex resources;

  IndexRetention(OpenSearchClient client, IndexNames spans, IndexNames logs, IndexNames metrics,
      ResourceIndex resources) {
    this.client = client;
    this.spans = spans;
    this.logs = logs;
    this.metrics = metrics;
    this.resources = resources;
  }

  @Override
  public Deleted deleteOlderThan(long cutoffNanos) {
    refresh();
    Deleted d = new Deleted(delete(spans, "start", cutoffNanos), delete(logs, "time", cutoffNanos),
        delete(metrics, "time", cutoffNanos));
    for (String index : indices(resources.names())) {
      LocalDate day = resources.names().dayOf(index);
      if (day != null && IndexNames.startNanos(day.plusDays(1)) <= cutoffNanos) {
        client.delete("/" + index);
        resources.forgetWritten(index);
      }
    }
    return d;
  }

  private long delete(IndexNames names, String timeField, long cutoffNanos) {
    long deleted = 0;
    for (String index : indices(names)) {
      LocalDate day = names.dayOf(index);
      if (day == null) {
        continue;
      }
      long start = IndexNames.startNanos(day);
      long end = IndexNames.startNanos(day.plusDays(1));
      if (end <= cutoffNanos) {
        deleted += client.get("/" + index + "/_count").path("count").asLong();
        client.delete("/" + index);
      } else if (start < cutoffNanos) {
        deleted += client.post("/" + index + "/_delete_by_query?refresh=true&conflicts=proceed",
            query(timeField, cutoffNanos)).path("deleted").asLong();
      }
    }
    return deleted;
  }

  private static ObjectNode query(String timeField, long cutoffNanos) {
    ObjectNode body = Search.obj();
    body.putObject("query").putObject("range").putObject(timeField).put("lt", cutoffNanos);
    return body;
  }

  private List<String> indices(IndexNames names) {
    JsonNode list = client.get("/_cat/indices/" + names.pattern() + "?format=json&h=index");
    return StreamSupport.stream(list.spliterator(), false).map(n -> n.path("index").asText())
        .sorted().toList();
  }

  @Override
  public StoreSize size() {
    refresh();
    long bytes = client.get("/" + String.join(",", spans.pattern(), logs.pattern(), metrics.pattern(),
            resources.names().pattern()) + "/_stats/store" + OPTIONS)
        .path("_all").path("total").path("store").path("size_in_bytes").asLong();
    return new StoreSize(count(spans), count(logs), count(metrics), bytes);
  }

  private long count(IndexNames names) {
    return client.get("/" + names.pattern() + "/_count" + OPTIONS).path("count").asLong();
  }

  void refresh() {
    client.post("/" + String.join(",", spans.pattern(), logs.pattern(), metrics.pattern()) + "/_refresh" + OPTIONS,
        new byte[0]);
  }
}
