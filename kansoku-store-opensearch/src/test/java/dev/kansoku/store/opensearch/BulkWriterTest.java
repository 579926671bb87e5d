package dev.kansoku.store.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.Server;
import dev.kansoku.store.StorageException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Bulk responses item by item: a mapping error from a real node is permanent and names the field;
 * rejections (429) are retried and, when they persist, retryable. OpenSearch cannot be made to
 * reject on demand, so those cases use a small server that answers like a busy node.
 */
class BulkWriterTest {
  private static final long T = 1_700_000_000_000_000_000L;

  @Test
  void mapping_conflict_on_a_real_node_is_permanent_and_names_the_field() {
    String prefix = "bulk-" + UUID.randomUUID().toString().substring(0, 8);
    try (OpenSearchStorage s = OpenSearchStorage.builder().endpoint(OpenSearchTestNode.shared().url())
        .indexPrefix(prefix).replicas(0).build()) {
      s.open();
      OpenSearchClient client = new OpenSearchClient(List.of(URI.create(OpenSearchTestNode.shared().url())),
          new OpenSearchClient.Auth.None(), false, null, Duration.ofSeconds(10));
      BulkWriter bulk = new BulkWriter(client, 100, 1 << 20, 2, BulkWriter.Refresh.WAIT_FOR, 10_000);
      String index = new IndexNames(prefix, IndexNames.SPANS).forTime(T);
      List<BulkWriter.Item> items = List.of(
          new BulkWriter.Item(index, "good", "{\"trace_id\":\"a\",\"start\":1}".getBytes(StandardCharsets.UTF_8)),
          new BulkWriter.Item(index, "bad", "{\"trace_id\":\"b\",\"start\":\"yesterday\"}"
              .getBytes(StandardCharsets.UTF_8)));
      assertThatThrownBy(() -> bulk.write("spans", items))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("spans: OpenSearch refused document bad in " + index)
          .hasMessageContaining("mapper_parsing_exception")
          .hasMessageContaining("[start]");
      List<BulkWriter.Item> unknown = List.of(new BulkWriter.Item(index, "extra",
          "{\"trace_id\":\"c\",\"colour\":\"red\"}".getBytes(StandardCharsets.UTF_8)));
      assertThatThrownBy(() -> bulk.write("spans", unknown))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isFalse())
          .hasMessageContaining("strict_dynamic_mapping_exception").hasMessageContaining("[colour]");
      // The good item of the failed batch was acknowledged and is kept: a failed batch loses nothing stored.
      assertThat(client.get("/" + index + "/_doc/good").path("found").asBoolean()).isTrue();
      s.clear();
      client.close();
    }
  }

  @Test
  void rejected_items_are_sent_again_alone_until_accepted() {
    AtomicInteger calls = new AtomicInteger();
    List<String> bodies = new CopyOnWriteArrayList<>();
    Server server = Server.builder().http(0).service("/_bulk", (ctx, req) -> HttpResponse.of(
        req.aggregate().thenApply(r -> {
          bodies.add(r.contentUtf8());
          int n = calls.incrementAndGet();
          String second = n == 1 ? rejected() : ok();
          String items = r.contentUtf8().split("\n").length == 4 ? ok() + "," + second : ok();
          return HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"errors\":" + (n == 1) + ",\"items\":["
              + items + "]}");
        }))).build();
    server.start().join();
    try {
      writer(server).write("spans", items(2));
      assertThat(calls.get()).isEqualTo(2);
      assertThat(bodies.get(1)).contains("\"_id\":\"id1\"").doesNotContain("\"_id\":\"id0\"");
    } finally {
      server.stop().join();
    }
  }

  @Test
  void items_still_rejected_after_the_retries_fail_the_batch_as_retryable() {
    AtomicInteger calls = new AtomicInteger();
    Server server = Server.builder().http(0).service("/_bulk", (ctx, req) -> {
      calls.incrementAndGet();
      return HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"errors\":true,\"items\":[" + rejected() + "]}");
    }).build();
    server.start().join();
    try {
      assertThatThrownBy(() -> writer(server).write("spans", items(1)))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("spans: 1 of 1 items still rejected after 4 retries")
          .hasMessageContaining("es_rejected_execution_exception");
      assertThat(calls.get()).isEqualTo(5);
    } finally {
      server.stop().join();
    }
  }

  @Test
  void unreachable_cluster_is_retryable() {
    OpenSearchClient client = new OpenSearchClient(List.of(URI.create("http://127.0.0.1:1")),
        new OpenSearchClient.Auth.None(), false, null, Duration.ofSeconds(5));
    BulkWriter bulk = new BulkWriter(client, 100, 1 << 20, 1, BulkWriter.Refresh.FALSE, 1000);
    assertThatThrownBy(() -> bulk.write("spans", items(1)))
        .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue())
        .hasMessageContaining("spans: bulk request failed: POST /_bulk on http://127.0.0.1:1");
    client.close();
  }

  @Test
  void batches_are_cut_by_actions_and_bytes() {
    List<Integer> sizes = new CopyOnWriteArrayList<>();
    Server server = Server.builder().http(0).service("/_bulk", (ctx, req) -> HttpResponse.of(
        req.aggregate().thenApply(r -> {
          int n = r.contentUtf8().split("\n").length / 2;
          sizes.add(n);
          List<String> ok = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            ok.add(ok());
          }
          return HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"errors\":false,\"items\":[" + String.join(",", ok)
              + "]}");
        }))).build();
    server.start().join();
    try {
      OpenSearchClient client = client(server);
      new BulkWriter(client, 3, 1 << 20, 2, BulkWriter.Refresh.FALSE, 1000).write("spans", items(7));
      assertThat(sizes).containsExactlyInAnyOrder(3, 3, 1);
      sizes.clear();
      new BulkWriter(client, 100, 250, 2, BulkWriter.Refresh.FALSE, 1000).write("spans", items(4));
      assertThat(sizes).hasSizeGreaterThan(1);
      assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(4);
      client.close();
    } finally {
      server.stop().join();
    }
  }

  private static String ok() {
    return "{\"index\":{\"status\":201}}";
  }

  private static String rejected() {
    return "{\"index\":{\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":"
        + "\"rejected execution of coordinating operation\"}}}";
  }

  private static OpenSearchClient client(Server server) {
    return new OpenSearchClient(List.of(URI.create("http://127.0.0.1:" + server.activeLocalPort())),
        new OpenSearchClient.Auth.None(), false, null, Duration.ofSeconds(5));
  }

  private static BulkWriter writer(Server server) {
    return new BulkWriter(client(server), 100, 1 << 20, 2, BulkWriter.Refresh.FALSE, 1000);
  }

  private static List<BulkWriter.Item> items(int n) {
    List<BulkWriter.Item> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new BulkWriter.Item("kansoku-spans-2023.11.14", "id" + i,
          "{\"name\":\"roll\"}".getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }
}
