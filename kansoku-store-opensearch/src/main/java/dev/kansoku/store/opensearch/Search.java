package dev.kansoku.store.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.store.StorageException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/**
 * Query building blocks and the two ways this store reads many documents: {@link #scan} (sorted
 * pages with {@code search_after}, which unlike {@code from} has no 10,000-hit ceiling and costs the
 * same on every page) and {@link #distinct} (a composite aggregation, every distinct value of a
 * keyword field in pages). Stateless apart from the client; thread-safe.
 */
final class Search {
  /** Missing indices of a pattern are no error: a store before its first write answers empty. */
  private static final String OPTIONS = "?ignore_unavailable=true&allow_no_indices=true";

  private final OpenSearchClient client;

  Search(OpenSearchClient client) {
    this.client = client;
  }

  static ObjectNode obj() {
    return OpenSearchClient.JSON.createObjectNode();
  }

  static ObjectNode term(String field, Object value) {
    ObjectNode t = obj();
    t.putObject("term").set(field, OpenSearchClient.JSON.valueToTree(value));
    return t;
  }

  static ObjectNode terms(String field, Collection<?> values) {
    ObjectNode t = obj();
    t.putObject("terms").set(field, OpenSearchClient.JSON.valueToTree(values));
    return t;
  }

  /** {@code from <= field < to}. */
  static ObjectNode range(String field, long from, long to) {
    ObjectNode r = obj();
    r.putObject("range").putObject(field).put("gte", from).put("lt", to);
    return r;
  }

  static ObjectNode exists(String field) {
    ObjectNode e = obj();
    e.putObject("exists").put("field", field);
    return e;
  }

  /** A bool query whose {@code filter} holds {@code filters} (no scoring). */
  static ObjectNode filter(List<ObjectNode> filters) {
    ObjectNode q = obj();
    q.putObject("bool").putArray("filter").addAll(filters);
    return q;
  }

  /** One sort key: a field and its direction. */
  record Sort(String field, boolean descending) {}

  /**
   * Visits hits of {@code query} in {@code sort} order (the keys together must be unique per
   * document), {@code pageSize} at a time, until {@code visitor} returns false or the hits run out.
   * Starts after {@code after} (sort values) when given. Returns the number of hits visited.
   */
  long scan(String index, ObjectNode query, List<Sort> sort, int pageSize, @Nullable List<Object> after,
      List<String> sourceFields, Predicate<JsonNode> visitor) {
    return scan(index, query, sort, pageSize, after, sourceFields, hits -> { }, visitor);
  }

  /** As above; {@code onPage} sees each page's hits before they are visited (to fetch what they refer to at once). */
  long scan(String index, ObjectNode query, List<Sort> sort, int pageSize, @Nullable List<Object> after,
      List<String> sourceFields, Consumer<JsonNode> onPage, Predicate<JsonNode> visitor) {
    long visited = 0;
    ArrayNode searchAfter = null;
    if (after != null) {
      searchAfter = OpenSearchClient.JSON.valueToTree(after);
    }
    while (true) {
      ObjectNode body = obj();
      body.put("size", pageSize);
      body.put("track_total_hits", false);
      body.set("query", query);
      ArrayNode s = body.putArray("sort");
      for (Sort k : sort) {
        s.addObject().putObject(k.field()).put("order", k.descending() ? "desc" : "asc");
      }
      if (sourceFields.isEmpty()) {
        body.put("_source", false);
      } else {
        body.set("_source", OpenSearchClient.JSON.valueToTree(sourceFields));
      }
      if (searchAfter != null) {
        body.set("search_after", searchAfter);
      }
      JsonNode hits = client.post("/" + index + "/_search" + OPTIONS, body).path("hits").path("hits");
      onPage.accept(hits);
      for (JsonNode hit : hits) {
        visited++;
        if (!visitor.test(hit)) {
          return visited;
        }
      }
      if (hits.size() < pageSize) {
        return visited;
      }
      searchAfter = (ArrayNode) hits.get(hits.size() - 1).path("sort");
    }
  }

  /**
   * Visits every hit of {@code query} in {@code sort} order; more than {@code max} hits fail the read
   * with a message naming {@code what}, rather than holding an unbounded answer in memory.
   */
  void scanAll(String index, ObjectNode query, List<Sort> sort, List<String> sourceFields, long max, String what,
      Consumer<JsonNode> visitor) {
    scanAll(index, query, sort, sourceFields, max, what, hits -> { }, visitor);
  }

  /** As above, with {@code onPage} as in {@link #scan}. */
  void scanAll(String index, ObjectNode query, List<Sort> sort, List<String> sourceFields, long max, String what,
      Consumer<JsonNode> onPage, Consumer<JsonNode> visitor) {
    long[] seen = {0};
    scan(index, query, sort, 1000, null, sourceFields, onPage, hit -> {
      if (++seen[0] > max) {
        return false;
      }
      visitor.accept(hit);
      return true;
    });
    bounded(seen[0], max, what);
  }

  /** Every distinct value of keyword {@code field} among documents matching {@code query}, unsorted. */
  List<String> distinct(String index, ObjectNode query, String field) {
    List<String> out = new ArrayList<>();
    JsonNode afterKey = null;
    while (true) {
      ObjectNode body = obj();
      body.put("size", 0);
      body.set("query", query);
      ObjectNode composite = body.putObject("aggs").putObject("values").putObject("composite");
      composite.put("size", 1000);
      composite.putArray("sources").addObject().putObject("v").putObject("terms").put("field", field);
      if (afterKey != null) {
        composite.set("after", afterKey);
      }
      JsonNode agg = client.post("/" + index + "/_search" + OPTIONS, body).path("aggregations").path("values");
      for (JsonNode bucket : agg.path("buckets")) {
        out.add(bucket.path("key").path("v").asText());
      }
      afterKey = agg.get("after_key");
      if (afterKey == null || agg.path("buckets").isEmpty()) {
        return out;
      }
    }
  }

  /** Hits visited beyond {@code max} mean the query is too wide to answer from fetched documents. */
  static void bounded(long visited, long max, String what) {
    if (visited > max) {
      throw new StorageException(what + ": more than " + max + " documents to read. Possible solutions: a"
          + " narrower time window or a more specific filter.", null, false);
    }
  }
}
