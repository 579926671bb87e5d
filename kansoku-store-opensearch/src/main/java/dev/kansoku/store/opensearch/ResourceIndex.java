package dev.kansoku.store.opensearch;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.model.Attributes;
import dev.kansoku.store.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Resources stored once per daily index ({@code <prefix>-resources-YYYY.MM.DD}, the day of the
 * records that refer to them) instead of in every span and log document: the ADOT agent's resource
 * of some 25 attributes was most of a span document. A resource's id is a hash of its encoding, so
 * every process writes the same document under the same id.
 *
 * <p>Writes: a {@link Batch} collects the resource documents its records need and that this process
 * has not yet written to that day; they go in the same bulk as the records, so a record is
 * acknowledged only with its resource. Reads: {@link #prefetch} fetches a page's unknown resources
 * with one {@code _mget}; decoded resources are kept by id (content-addressed, so never stale).
 * Every cache is bounded. Thread-safe.
 */
final class ResourceIndex {
  private static final int CACHE_ENTRIES = 10_000;

  private final IndexNames names;
  private final OpenSearchClient client;
  /** Resource maps are shared by the records of one resource; hashing each map once is enough. */
  private final BoundedCache<Identity, String> ids = new BoundedCache<>(CACHE_ENTRIES);
  private final BoundedCache<Written, Boolean> written = new BoundedCache<>(CACHE_ENTRIES);
  private final BoundedCache<String, Map<String, Object>> decoded = new BoundedCache<>(CACHE_ENTRIES);

  ResourceIndex(IndexNames names, OpenSearchClient client) {
    this.names = names;
    this.client = client;
  }

  /** A key that compares by identity: equal maps of different records are hashed once each, no harm. */
  private record Identity(Map<String, Object> attributes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity i && i.attributes == attributes;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(attributes);
    }
  }

  private record Written(String index, String id) {}

  IndexNames names() {
    return names;
  }

  /** The resource's document id: 32 hex digits of SHA-256 over its encoding. */
  String id(Map<String, Object> attributes) {
    Identity key = new Identity(attributes);
    String id = ids.get(key);
    if (id == null) {
      id = Documents.hashId(RecordCodec.encodeResource(attributes));
      ids.put(key, id);
    }
    return id;
  }

  Batch batch() {
    return new Batch();
  }

  /** The resource documents one write needs. Not thread-safe: one per write call. */
  final class Batch {
    private final Map<Written, Map<String, Object>> needed = new LinkedHashMap<>();

    /** Registers the resource of a record of {@code timeNanos}; returns its id for the record's {@code res}. */
    String add(long timeNanos, Map<String, Object> resource) {
      String id = id(resource);
      Written w = new Written(names.forTime(timeNanos), id);
      if (!needed.containsKey(w) && written.get(w) == null) {
        needed.put(w, resource);
      }
      return id;
    }

    /** The documents to send ahead of the records, in the same bulk. */
    List<BulkWriter.Item> items() {
      List<BulkWriter.Item> items = new ArrayList<>(needed.size());
      ByteArrayOutputStream buf = new ByteArrayOutputStream(1024);
      for (Map.Entry<Written, Map<String, Object>> e : needed.entrySet()) {
        buf.reset();
        try (JsonGenerator g = OpenSearchClient.JSON.getFactory().createGenerator(buf)) {
          Documents.resource(g, RecordCodec.encodeResource(e.getValue()));
        } catch (IOException ex) {
          throw new UncheckedIOException(ex);
        }
        items.add(new BulkWriter.Item(e.getKey().index(), e.getKey().id(), buf.toByteArray()));
      }
      return items;
    }

    /** Call once the bulk acknowledged every item: later batches leave these resources out. */
    void acknowledged() {
      needed.keySet().forEach(w -> written.put(w, Boolean.TRUE));
    }
  }

  /** Forget what was written (its indices were deleted), so the next write sends it again. */
  void forgetWritten() {
    written.clear();
  }

  void forgetWritten(String index) {
    written.removeIf(w -> w.index().equals(index));
  }

  /** Fetches, in one {@code _mget}, the resources of {@code hits} (of {@code recordNames}' indices) not cached. */
  void prefetch(IndexNames recordNames, JsonNode hits) {
    Map<String, String> missing = new LinkedHashMap<>();
    for (JsonNode hit : hits) {
      String id = Documents.resourceRef(hit.path("_source"));
      if (decoded.get(id) == null) {
        missing.putIfAbsent(id, indexOf(recordNames, hit));
      }
    }
    fetch(missing);
  }

  /** The resource a hit refers to, from the cache or fetched. */
  Map<String, Object> resource(IndexNames recordNames, JsonNode hit) {
    String id = Documents.resourceRef(hit.path("_source"));
    Map<String, Object> r = decoded.get(id);
    return r != null ? r : fetch(Map.of(id, indexOf(recordNames, hit))).get(id);
  }

  /** The resources index of the day a record's index holds. */
  private String indexOf(IndexNames recordNames, JsonNode hit) {
    String index = hit.path("_index").asText();
    LocalDate day = recordNames.dayOf(index);
    if (day == null) {
      throw new IllegalStateException("hit from index " + index + " (expected: one of " + recordNames.pattern() + ")");
    }
    return names.forDay(day);
  }

  private Map<String, Map<String, Object>> fetch(Map<String, String> indexById) {
    if (indexById.isEmpty()) {
      return Map.of();
    }
    ObjectNode body = Search.obj();
    ArrayNode docs = body.putArray("docs");
    indexById.forEach((id, index) -> docs.addObject().put("_index", index).put("_id", id).putArray("_source").add("r"));
    Map<String, Map<String, Object>> out = new HashMap<>();
    for (JsonNode d : client.post("/_mget", body).path("docs")) {
      String id = d.path("_id").asText();
      if (!d.path("found").asBoolean(false)) {
        String why = d.has("error") ? " (" + d.path("error").path("type").asText() + ")" : "";
        throw new StorageException("resource " + id + " is missing from " + d.path("_index").asText() + why
            + ": the bulk writing it may still be in flight (retry the read), or the index was deleted", null, true);
      }
      Map<String, Object> attributes =
          Attributes.copyOf(RecordCodec.decodeResource(Documents.record(d.path("_source"))));
      decoded.put(id, attributes);
      out.put(id, attributes);
    }
    if (out.size() != indexById.size()) {
      throw new StorageException("_mget answered " + out.size() + " of " + indexById.size() + " resources", null, true);
    }
    return out;
  }
}
