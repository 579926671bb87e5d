package dev.kansoku.store.opensearch;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.store.StorageException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Writes documents through {@code _bulk} and returns only when OpenSearch acknowledged every item.
 *
 * <p>A batch is cut into requests of at most {@code maxActions} items and about {@code maxBytes};
 * at most {@code concurrency} requests are in flight across all callers (a caller waits for a
 * permit, up to the request timeout: backpressure onto the exporter, not an unbounded queue). Every
 * item's status is checked: rejected items (429, {@code es_rejected_execution_exception}) are sent
 * again, alone, after 100, 200, 400, 800 ms; still rejected, or the cluster unreachable, the batch
 * fails with a retryable {@link StorageException}. An item OpenSearch refuses for its content
 * (mapping errors, a strict mapping's unknown field) fails the batch with a permanent one naming the
 * reason, which names the field. Items are idempotent by id, so a retried batch writes nothing twice.
 * Thread-safe.
 */
final class BulkWriter {
  private static final int RETRIES = 4;
  private static final long FIRST_BACKOFF_MILLIS = 100;

  private final OpenSearchClient client;
  private final int maxActions;
  private final long maxBytes;
  private final Semaphore inFlight;
  private final long permitTimeoutMillis;
  private final String path;

  /** One document to index: where, under which id, and its JSON. */
  record Item(String index, String id, byte[] source) {}

  BulkWriter(OpenSearchClient client, int maxActions, long maxBytes, int concurrency, Refresh refresh,
      long permitTimeoutMillis) {
    this.client = client;
    this.maxActions = maxActions;
    this.maxBytes = maxBytes;
    this.inFlight = new Semaphore(concurrency, true);
    this.permitTimeoutMillis = permitTimeoutMillis;
    this.path = refresh == Refresh.WAIT_FOR ? "/_bulk?refresh=wait_for" : "/_bulk";
  }

  /** When written documents become searchable: at the next refresh, or before the write returns. */
  enum Refresh { FALSE, WAIT_FOR }

  void write(String what, List<Item> items) {
    if (items.isEmpty()) {
      return;
    }
    List<CompletableFuture<Void>> requests = new ArrayList<>();
    int from = 0;
    while (from < items.size()) {
      int to = from;
      long bytes = 0;
      while (to < items.size() && to - from < maxActions && (to == from || bytes + size(items.get(to)) <= maxBytes)) {
        bytes += size(items.get(to));
        to++;
      }
      requests.add(send(what, items.subList(from, to), 0));
      from = to;
    }
    StorageException failure = null;
    for (CompletableFuture<Void> r : requests) {
      try {
        r.join();
      } catch (CompletionException e) {
        StorageException s = e.getCause() instanceof StorageException se ? se
            : new StorageException(what + ": " + e.getCause(), e.getCause());
        if (failure == null || failure.retryable() && !s.retryable()) {
          failure = s; // a permanent failure tells the caller more than a retryable one
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static long size(Item i) {
    return i.source().length + i.index().length() + i.id().length() + 40;
  }

  private CompletableFuture<Void> send(String what, List<Item> items, int attempt) {
    try {
      if (!inFlight.tryAcquire(permitTimeoutMillis, TimeUnit.MILLISECONDS)) {
        return CompletableFuture.failedFuture(new StorageException(what + ": " + items.size()
            + " items waited " + permitTimeoutMillis + " ms for one of " + "the bulk requests in flight to finish"
            + " (OpenSearch is slower than the input). Possible solutions: raise bulk::concurrency, add nodes,"
            + " or let the exporter's queue absorb bursts."));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return CompletableFuture.failedFuture(new StorageException(what + ": interrupted while waiting to write", e));
    }
    CompletableFuture<JsonNode> response;
    try {
      response = client.bulkAsync(path, body(items));
    } catch (RuntimeException e) {
      inFlight.release();
      throw e;
    }
    return response.handle((r, e) -> {
      inFlight.release();
      if (e != null) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        boolean retryable = !(cause instanceof OpenSearchClient.OpenSearchException o) || o.retryable();
        return CompletableFuture.<Void>failedFuture(new StorageException(what + ": bulk request failed: "
            + cause.getMessage(), cause, retryable));
      }
      return checkItems(what, items, r, attempt);
    }).thenCompose(f -> f);
  }

  /** Sends rejected items again after a backoff; fails on the first permanent item error. */
  private CompletableFuture<Void> checkItems(String what, List<Item> items, JsonNode response, int attempt) {
    if (!response.path("errors").asBoolean(false)) {
      return CompletableFuture.completedFuture(null);
    }
    JsonNode results = response.path("items");
    List<Item> rejected = new ArrayList<>();
    String lastRejection = null;
    for (int i = 0; i < items.size(); i++) {
      JsonNode result = results.path(i).elements().hasNext() ? results.path(i).elements().next() : null;
      if (result == null) {
        return CompletableFuture.failedFuture(new StorageException(what + ": bulk response has " + results.size()
            + " items for " + items.size() + " sent"));
      }
      int status = result.path("status").asInt();
      if (status / 100 == 2) {
        continue;
      }
      JsonNode error = result.path("error");
      String type = error.path("type").asText();
      String reason = type + ": " + error.path("reason").asText()
          + (error.has("caused_by") ? " (" + error.path("caused_by").path("reason").asText() + ")" : "");
      if (status == 429 || type.equals("es_rejected_execution_exception") || status == 503) {
        rejected.add(items.get(i));
        lastRejection = reason;
        continue;
      }
      return CompletableFuture.failedFuture(new StorageException(what + ": OpenSearch refused document "
          + items.get(i).id() + " in " + items.get(i).index() + ": " + reason, null, false));
    }
    if (rejected.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    if (attempt >= RETRIES) {
      return CompletableFuture.failedFuture(new StorageException(what + ": " + rejected.size() + " of "
          + items.size() + " items still rejected after " + RETRIES + " retries (" + lastRejection
          + "); OpenSearch is overloaded", null, true));
    }
    long delay = FIRST_BACKOFF_MILLIS << attempt;
    return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS))
        .thenCompose(x -> send(what, rejected, attempt + 1));
  }

  private static byte[] body(List<Item> items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * 512);
    for (Item i : items) {
      // Index names and ids are ours (prefix, dates, hex), so they need no JSON escaping beyond the prefix check.
      out.writeBytes(("{\"index\":{\"_index\":\"" + i.index() + "\",\"_id\":\"" + i.id() + "\"}}\n")
          .getBytes(StandardCharsets.UTF_8));
      out.writeBytes(i.source());
      out.write('\n');
    }
    return out.toByteArray();
  }
}
