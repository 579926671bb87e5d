package dev.kansoku.store.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.model.Attributes;
import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.LogEntry;
import dev.kansoku.store.LogQuery;
import dev.kansoku.store.StorageException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resources stored once per day on a real node: how many resource documents a load writes, records
 * read back equal by a process that never saw their resources, records across midnight, retention
 * and a missing resource.
 */
class ResourceIndexTest {
  private static final LocalDate DAY1 = LocalDate.of(2023, 11, 14);
  private static final long MIDNIGHT = IndexNames.startNanos(DAY1.plusDays(1));
  private static final TraceId CROSSING = TraceId.parse("5759e988bd862e3fe1be46a994272793");

  private final Map<String, Object> web = Attributes.copyOf(agentResource("web-1"));
  private final Map<String, Object> worker = Attributes.copyOf(agentResource("worker-7"));
  private String prefix;
  private OpenSearchClient client;
  private OpenSearchStorage store;

  @BeforeEach
  void start() {
    prefix = "res-" + UUID.randomUUID().toString().substring(0, 8);
    client = new OpenSearchClient(List.of(URI.create(OpenSearchTestNode.shared().url())),
        new OpenSearchClient.Auth.None(), false, null, Duration.ofSeconds(30));
    store = newStore();
  }

  @AfterEach
  void stop() {
    store.clear();
    store.close();
    client.close();
  }

  private OpenSearchStorage newStore() {
    OpenSearchStorage s = OpenSearchStorage.builder().endpoint(OpenSearchTestNode.shared().url()).indexPrefix(prefix)
        .replicas(0).refreshInterval(Duration.ofMillis(50)).build();
    s.open();
    return s;
  }

  /** About what the ADOT Java agent sends: some 25 attributes, one of them naming the host. */
  private static Map<String, Object> agentResource(String host) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("service.name", "dice");
    r.put("host.name", host);
    r.put("process.pid", 4242L);
    r.put("telemetry.sdk.language", "java");
    for (int i = 0; i < 21; i++) {
      r.put("aws.attribute." + i, "value of attribute " + i);
    }
    return r;
  }

  /** {@code count} spans, every other one of each resource, half of them before midnight. */
  private List<SpanRecord> spans(int from, int count) {
    List<SpanRecord> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      long start = MIDNIGHT + (i % 2 == 0 ? -1 : 1) * (1_000_000_000L + i);
      out.add(SpanRecord.builder().traceId(new TraceId(7, i + 1)).spanId(new SpanId(i + 1)).serviceName("dice")
          .name("roll").kind(SpanKind.SERVER).startNanos(start).endNanos(start + 5_000)
          .attributes(Map.of("n", (long) i)).resourceAttributes(i % 4 < 2 ? web : worker).build());
    }
    return out;
  }

  /** One trace whose spans start either side of midnight: its resource is in both days' indices. */
  private List<SpanRecord> crossingTrace() {
    SpanRecord parent = SpanRecord.builder().traceId(CROSSING).spanId(new SpanId(1)).serviceName("dice")
        .name("GET /roll").kind(SpanKind.SERVER).startNanos(MIDNIGHT - 1_000).endNanos(MIDNIGHT + 9_000)
        .resourceAttributes(web).build();
    SpanRecord child = parent.toBuilder().spanId(new SpanId(2)).parentSpanId(new SpanId(1)).name("roll")
        .kind(SpanKind.INTERNAL).startNanos(MIDNIGHT + 1_000).endNanos(MIDNIGHT + 2_000).build();
    return List.of(parent, child);
  }

  private List<LogRecord> logs() {
    List<LogRecord> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.add(LogRecord.builder().timeNanos(MIDNIGHT - 60_000_000_000L + i).logGroup("g").logStream("s")
          .serviceName("dice").body("rolled " + i).resourceAttributes(i % 2 == 0 ? web : worker).build());
    }
    return out;
  }

  private String resources(LocalDate day) {
    return new IndexNames(prefix, IndexNames.RESOURCES).forDay(day);
  }

  private long count(String index) {
    return client.get("/" + index + "/_count").path("count").asLong();
  }

  @Test
  void one_resource_document_per_day_and_resource_however_many_spans() {
    for (int batch = 0; batch < 3; batch++) {
      store.spanWriter().write(spans(batch * 400, 400));
    }
    store.logWriter().write(logs());

    assertThat(count(resources(DAY1))).isEqualTo(2);
    assertThat(count(resources(DAY1.plusDays(1)))).isEqualTo(2);
    // Index operations, not documents: later batches and the logs left the already written resources out.
    assertThat(client.get("/" + prefix + "-resources-*/_stats/indexing").path("_all").path("primaries")
        .path("indexing").path("index_total").asLong()).isEqualTo(4);
    assertThat(store.retention().size().spans()).isEqualTo(1200);
    assertThat(store.retention().size().logRecords()).isEqualTo(10);

    SpanRecord first = spans(0, 1).get(0);
    String index = new IndexNames(prefix, IndexNames.SPANS).forTime(first.startNanos());
    var source = client.get("/" + index + "/_doc/" + Documents.spanId(first)).path("_source");
    assertThat(source.path("res").asText()).hasSize(32);
    String record = new String(Base64.getDecoder().decode(source.path("r").asText()), StandardCharsets.ISO_8859_1);
    assertThat(record).contains("roll").doesNotContain("telemetry.sdk.language").doesNotContain("web-1");
  }

  @Test
  void records_come_back_equal_to_a_process_that_never_saw_their_resources() {
    List<SpanRecord> written = new ArrayList<>(spans(0, 40));
    written.addAll(crossingTrace());
    store.spanWriter().write(written);
    store.logWriter().write(logs());

    try (OpenSearchStorage reader = newStore()) {
      assertThat(reader.traceReader().trace(CROSSING).orElseThrow().spans())
          .containsExactlyInAnyOrderElementsOf(crossingTrace());
      List<SpanRecord> read = new ArrayList<>();
      reader.traceReader().traces(spans(0, 40).stream().map(SpanRecord::traceId).toList())
          .forEach(t -> read.addAll(t.spans()));
      assertThat(read).containsExactlyInAnyOrderElementsOf(spans(0, 40));
      assertThat(read).extracting(s -> s.resourceAttributes().get("host.name")).contains("web-1", "worker-7");
      List<LogRecord> logs = reader.logSearch().search(LogQuery.builder().window(0, Long.MAX_VALUE).limit(100)
          .order(LogQuery.Order.OLDEST_FIRST).build()).entries().stream().map(LogEntry::record).toList();
      assertThat(logs).containsExactlyElementsOf(logs());
    }
    assertThat(count(resources(DAY1))).isEqualTo(2);
    assertThat(count(resources(DAY1.plusDays(1)))).isEqualTo(2);
  }

  @Test
  void retention_drops_resources_with_their_day_and_a_later_write_to_that_day_sends_them_again() {
    store.spanWriter().write(crossingTrace());
    store.retention().deleteOlderThan(MIDNIGHT + 500);

    assertThat(client.get("/_cat/indices/" + prefix + "-resources-*?format=json&h=index").findValuesAsText("index"))
        .containsExactly(resources(DAY1.plusDays(1)));
    // The boundary day keeps its resources; its span after the cutoff still reads back equal.
    assertThat(store.traceReader().trace(CROSSING).orElseThrow().spans()).containsExactly(crossingTrace().get(1));

    store.spanWriter().write(List.of(crossingTrace().get(0)));
    try (OpenSearchStorage reader = newStore()) {
      assertThat(reader.traceReader().trace(CROSSING).orElseThrow().spans())
          .containsExactlyInAnyOrderElementsOf(crossingTrace());
    }
  }

  @Test
  void a_missing_resource_fails_the_read_as_retryable_and_says_which() {
    store.spanWriter().write(crossingTrace());
    client.delete("/" + resources(DAY1));

    try (OpenSearchStorage reader = newStore()) {
      assertThatThrownBy(() -> reader.traceReader().trace(CROSSING))
          .isInstanceOfSatisfying(StorageException.class, e -> assertThat(e.retryable()).isTrue())
          .hasMessageContaining("resource " + new ResourceIndex(null, null).id(web))
          .hasMessageContaining("missing from " + resources(DAY1));
    }
  }
}
