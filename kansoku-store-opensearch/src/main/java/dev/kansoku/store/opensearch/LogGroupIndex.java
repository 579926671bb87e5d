package dev.kansoku.store.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.store.LogGroupEntries;
import dev.kansoku.store.LogGroupEntry;
import dev.kansoku.store.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import javax.annotation.Nullable;

/**
 * The log group catalog's entries in one index, {@code <prefix>-log-groups}, shared by every process
 * using the cluster with the same prefix: one document per log group name (id: a hash of the name)
 * holding {@code name}, {@code live} (the group exists) and {@code entry}
 * ({@link LogGroupEntry#toMap()}, stored, not indexed).
 *
 * <p>Nothing is cached: every read is a realtime {@code GET} by id (it sees writes not yet refreshed),
 * so a change made by one query node is seen by the next request on any other. A change is
 * read-modify-write with optimistic concurrency: a new name is written with {@code _create}, an
 * existing one with {@code if_seq_no}/{@code if_primary_term}; when another process wrote the name
 * in between (409), the change is applied again to what it wrote. So two nodes creating one group:
 * one wins, the other's second attempt sees the group and gets "already exists". Metadata changes
 * are written with {@code refresh=true}, so {@link #existing()} (a search) lists them at once;
 * statistics with {@code refresh=false} (listings may show them a refresh interval late; reads by
 * name never do). Thread-safe.
 */
final class LogGroupIndex implements LogGroupEntries {
  /** Attempts of one change against concurrent writers of the same name. */
  private static final int MAX_ATTEMPTS = 50;

  private final String index;
  private final OpenSearchClient client;
  private final Search search;
  private final Runnable ready;
  private final Object lock = new Object();
  private volatile boolean indexReady; // set under lock

  /** @param ready run before each operation: fails when the store is closed, puts the index templates */
  LogGroupIndex(String prefix, OpenSearchClient client, Search search, Runnable ready) {
    this.index = prefix + "-log-groups";
    this.client = client;
    this.search = search;
    this.ready = ready;
  }

  String index() {
    return index;
  }

  /** The index was deleted (by a test's clear): create it again before the next use. */
  void forget() {
    indexReady = false;
  }

  /**
   * Creates the index (from its template) unless it exists and waits for its primary shard, once.
   * Left to the first write, the creation would race the reads of other threads and nodes, which then
   * find the index without a started shard (503 {@code no_shard_available_action_exception}).
   */
  private void ensureIndex() {
    if (indexReady) {
      return;
    }
    synchronized (lock) {
      if (indexReady) {
        return;
      }
      try {
        client.put("/" + index, Map.of());
      } catch (OpenSearchClient.OpenSearchException e) {
        if (!e.type.equals("resource_already_exists_exception")) {
          throw e;
        }
      }
      // Not wait_for_status: a new index whose primary is still initializing already counts as yellow.
      client.get("/_cluster/health/" + index + "?wait_for_active_shards=1&timeout=30s");
      indexReady = true;
    }
  }

  /** An entry and the version it was read at. */
  private record Versioned(LogGroupEntry entry, long seqNo, long primaryTerm) {}

  @Override
  public Optional<LogGroupEntry> get(String name) {
    ready.run();
    return OpenSearchStorage.translate(() -> {
      ensureIndex();
      return Optional.ofNullable(read(name)).map(Versioned::entry);
    });
  }

  @Override
  public LogGroupEntry update(String name, UnaryOperator<LogGroupEntry> change, Change kind) {
    ready.run();
    return OpenSearchStorage.translate(() -> {
      ensureIndex();
      String refresh = "refresh=" + (kind == Change.METADATA);
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        Versioned current = read(name);
        LogGroupEntry before = current == null ? LogGroupEntry.unused(name) : current.entry();
        LogGroupEntry next = change.apply(before);
        if (next == before) {
          return before;
        }
        String path = current == null ? "/" + index + "/_create/" + id(name) + "?" + refresh
            : "/" + index + "/_doc/" + id(name) + "?if_seq_no=" + current.seqNo() + "&if_primary_term="
                + current.primaryTerm() + "&" + refresh;
        try {
          client.put(path, document(next));
          return next;
        } catch (OpenSearchClient.OpenSearchException e) {
          if (e.status != 409) {
            throw e;
          }
        }
        pause(attempt); // another process changed the name since the read: apply the change to its version
      }
      throw new StorageException("opensearch: log group '" + name + "' was changed by others " + MAX_ATTEMPTS
          + " times while this change was tried (try again)");
    });
  }

  @Override
  public List<LogGroupEntry> existing() {
    ready.run();
    return OpenSearchStorage.translate(() -> {
      ensureIndex();
      List<LogGroupEntry> out = new ArrayList<>();
      search.scan(index, Search.term("live", true), List.of(new Search.Sort("name", false)), 1000, null,
          List.of("name", "entry"), hit -> out.add(entry(hit.path("_source"))));
      return out;
    });
  }

  @Nullable
  private Versioned read(String name) {
    JsonNode doc;
    try {
      doc = client.get("/" + index + "/_doc/" + id(name));
    } catch (OpenSearchClient.OpenSearchException e) {
      if (e.status == 404) { // no such document
        return null;
      }
      throw e;
    }
    return new Versioned(entry(doc.path("_source")), doc.path("_seq_no").asLong(), doc.path("_primary_term").asLong());
  }

  @SuppressWarnings("unchecked")
  private static LogGroupEntry entry(JsonNode source) {
    return LogGroupEntry.fromMap(source.path("name").asText(),
        OpenSearchClient.JSON.convertValue(source.path("entry"), Map.class));
  }

  private static Map<String, Object> document(LogGroupEntry e) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("name", e.name());
    doc.put("live", e.exists());
    doc.put("entry", e.toMap());
    return doc;
  }

  /** Names are up to 512 characters of any kind; a hash keeps ids short and safe in a URL path. */
  private static String id(String name) {
    return Documents.hashId(name.getBytes(StandardCharsets.UTF_8));
  }

  /** A random pause of up to {@code attempt} ms, so writers racing for one name do not stay in step. */
  private static void pause(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(attempt + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("opensearch: interrupted while changing a log group", e, false);
    }
  }
}
