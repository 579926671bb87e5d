package dev.kansoku.store.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kansoku.store.LogGroupCatalog;
import dev.kansoku.store.LogGroupEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log group catalog is shared by every process on one cluster and prefix, as query nodes share
 * it: two stores on the real node ({@link OpenSearchTestNode}) stand for two nodes, and a third one
 * opened later for a node that restarted.
 */
class LogGroupIndexTest {
  private static final long MS = 1_700_000_000_000L;

  private String prefix;
  private OpenSearchStorage a;
  private OpenSearchStorage b;

  @BeforeEach
  void start() {
    prefix = "groups-" + UUID.randomUUID().toString().substring(0, 8);
    a = newStore();
    b = newStore();
  }

  @AfterEach
  void stop() {
    a.clear();
    a.close();
    b.close();
  }

  private OpenSearchStorage newStore() {
    OpenSearchStorage s = OpenSearchStorage.builder().endpoint(OpenSearchTestNode.shared().url()).indexPrefix(prefix)
        .replicas(0).build();
    s.open();
    return s;
  }

  private static List<String> names(LogGroupCatalog c) {
    return c.groups().stream().map(LogGroupEntry.Group::name).toList();
  }

  @Test
  void a_change_on_one_node_is_seen_by_the_next_request_on_another() {
    a.logGroups().createGroup("/ecs/dice", MS);
    a.logGroups().createStream("/ecs/dice", "task-1", MS);
    assertThat(names(b.logGroups())).containsExactly("/ecs/dice");
    b.logGroups().putRetention("/ecs/dice", 14);
    a.logGroups().recordPut("/ecs/dice", "task-1", 100, 200, 40, MS + 5);
    LogGroupEntry.Group seen = b.logGroups().entry("/ecs/dice").orElseThrow().group();
    assertThat(seen.retentionInDays()).isEqualTo(14);
    assertThat(seen.streams().get("task-1").sequence()).as("statistics, read by name").isEqualTo(1);

    b.logGroups().deleteGroup("/ecs/dice", MS * 1_000_000L, List.of());
    assertThat(names(a.logGroups())).isEmpty();
    assertThat(a.logGroups().entry("/ecs/dice").orElseThrow().exists()).isFalse();
    a.logGroups().adopt("/ecs/dice", List.of("task-1"), MS);
    assertThat(names(b.logGroups())).as("adopted again after the delete").isEmpty();
  }

  @Test
  void a_node_started_later_sees_what_others_did() {
    a.logGroups().createGroup("/kept", MS);
    a.logGroups().createGroup("/gone", MS);
    b.logGroups().deleteGroup("/gone", MS * 1_000_000L + 5, List.of("s"));
    a.close();
    b.close();
    a = newStore();
    b = newStore();
    assertThat(names(a.logGroups())).containsExactly("/kept");
    assertThat(a.logGroups().entry("/gone").orElseThrow().visible("s", MS * 1_000_000L + 5)).isFalse();
  }

  @Test
  void concurrent_creates_of_one_group_on_two_nodes_one_wins() throws Exception {
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Boolean>> tries = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        OpenSearchStorage node = i % 2 == 0 ? a : b;
        tries.add(pool.submit(() -> {
          go.await();
          try {
            node.logGroups().createGroup("/race", MS);
            return true;
          } catch (LogGroupCatalog.AlreadyExistsException e) {
            return false;
          }
        }));
      }
      go.countDown();
      List<Boolean> created = new ArrayList<>();
      for (Future<Boolean> f : tries) {
        created.add(f.get());
      }
      assertThat(created).containsOnlyOnce(true);
    } finally {
      pool.shutdownNow();
    }
    assertThat(names(a.logGroups())).containsExactly("/race");
  }
}
