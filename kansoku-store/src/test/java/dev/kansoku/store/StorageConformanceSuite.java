package dev.kansoku.store;

import static dev.kansoku.store.ConformanceData.nanos;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.model.LogRecord;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceCorrelation;
import dev.kansoku.model.TraceId;
import dev.kansoku.store.LogGroupCatalog.AlreadyExistsException;
import dev.kansoku.store.LogGroupCatalog.NotFoundException;
import dev.kansoku.store.LogGroupEntry.Group;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The contract every storage backend passes. A backend binds it by extending this class and
 * implementing {@link #newStorage()} (called once per test class) and {@link #clear(Storage)}
 * (called before every case). A backend that cannot do an area overrides that area's method with
 * {@code @Disabled("why")} and a body calling super; an unreachable backend should fail or abort in
 * {@code newStorage()} loudly, never skip silently.
 *
 * <p>Cases are data ({@code conformance/cases.json}); before each case all fixtures
 * ({@code traces.json}, {@code logs.json}, {@code metrics.json}) are written, so every expected
 * result is checked against every counter-example in the store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StorageConformanceSuite {
  protected static final ConformanceData DATA = ConformanceData.INSTANCE;

  protected Storage storage;

  /** A new, empty store of the backend under test. */
  protected abstract Storage newStorage();

  /** Removes everything from {@code storage}, so the next case starts empty. */
  protected abstract void clear(Storage storage);

  @BeforeAll
  void open() {
    storage = newStorage();
  }

  @AfterAll
  void closeStorage() {
    if (storage != null) {
      storage.close();
    }
  }

  /** Clears the store and writes every fixture, spans in two batches to exercise trace assembly. */
  protected void writeFixtures() {
    clear(storage);
    List<SpanRecord> spans = new ArrayList<>(DATA.allSpans());
    // Children before parents, split across batches: stores must assemble traces whatever the arrival order.
    java.util.Collections.reverse(spans);
    int half = spans.size() / 2;
    storage.spanWriter().write(spans.subList(0, half));
    storage.spanWriter().write(spans.subList(half, spans.size()));
    storage.logWriter().write(List.copyOf(DATA.logs.values()));
    storage.metricWriter().write(DATA.points);
  }

  private Stream<DynamicTest> run(String area, Consumer<ConformanceData.Case> check) {
    return DATA.cases(area).stream().map(c -> DynamicTest.dynamicTest(c.caption(), () -> {
      writeFixtures();
      check.accept(c);
    }));
  }

  // ---- plain contract tests

  @Test
  void check_ok() {
    assertThat(storage.check().ok()).as("check() of a fresh store: %s", storage.check().error()).isTrue();
  }

  @Test
  void roles_are_stable() {
    assertThat(storage.traceReader()).isSameAs(storage.traceReader());
    assertThat(storage.spanWriter()).isSameAs(storage.spanWriter());
    assertThat(storage.logSearch()).isSameAs(storage.logSearch());
    assertThat(storage.logGroups()).isSameAs(storage.logGroups());
  }

  @Test
  void rewritten_span_replaces_earlier_copy() {
    writeFixtures();
    SpanRecord root = DATA.traces.get("dice-2").get(0);
    storage.spanWriter().write(List.of(root));
    Trace t = storage.traceReader().trace(root.traceId()).orElseThrow();
    assertThat(t.spans()).hasSize(1);
  }

  @Test
  void trace_spans_come_back_equal_and_parents_first() {
    writeFixtures();
    for (Map.Entry<String, List<SpanRecord>> e : DATA.traces.entrySet()) {
      Trace t = storage.traceReader().trace(e.getValue().get(0).traceId()).orElseThrow();
      assertThat(t.spans()).as(e.getKey()).containsExactlyInAnyOrderElementsOf(e.getValue());
      assertThat(t.root().parentSpanId()).as(e.getKey()).isNull();
      assertThat(t.spans().get(0)).as(e.getKey()).isEqualTo(t.root());
    }
  }

  @Test
  void log_records_come_back_equal_with_ids() {
    writeFixtures();
    LogPage page = storage.logSearch().search(LogQuery.builder().limit(1000).build());
    assertThat(page.entries().stream().map(LogEntry::record).toList())
        .containsExactlyInAnyOrderElementsOf(DATA.logs.values());
    assertThat(page.entries().stream().map(LogEntry::id).distinct().count()).isEqualTo(DATA.logs.size());
    assertThat(page.nextPageToken()).isNull();
  }

  @Test
  void summary_of_two_service_trace() {
    writeFixtures();
    List<TraceSummary> found = storage.traceSearch().search(TraceQuery.builder()
        .where(new TraceFilter.IdIs(TraceId.parse("1-655415cb-0000000000000000000000b1"))).build());
    assertThat(found).hasSize(1);
    TraceSummary s = found.get(0);
    assertThat(s.rootServiceName()).isEqualTo("frontend");
    assertThat(s.rootSpanName()).isEqualTo("GET /play");
    assertThat(s.rootSpanId()).isEqualTo(SpanId.parse("1111111111111111"));
    assertThat(s.startNanos()).isEqualTo(nanos(6000));
    assertThat(s.durationNanos()).isEqualTo(250_000_000L);
    assertThat(s.responseTimeNanos()).isEqualTo(250_000_000L);
    assertThat(s.spanCount()).isEqualTo(4);
    assertThat(s.services()).containsExactly("dice-server", "frontend");
    assertThat(new boolean[] {s.error(), s.fault(), s.throttle()}).containsExactly(false, false, false);
    assertThat(s.httpMethod()).isEqualTo("GET");
    assertThat(s.httpStatus()).isEqualTo(200);
    assertThat(s.httpUrl()).isEqualTo("http://frontend/play");
  }

  @Test
  void edge_latency_histogram() {
    writeFixtures();
    ServiceGraph g = storage.serviceGraph().graph(nanos(0), nanos(10_000));
    ServiceGraph.Edge e = g.edges().stream().filter(x -> x.from().equals("frontend")).findFirst().orElseThrow();
    List<Long> expected = new ArrayList<>();
    for (int i = 0; i <= ServiceGraph.RequestStats.BUCKET_BOUNDS_MILLIS.size(); i++) {
      expected.add(i == ServiceGraph.RequestStats.BUCKET_BOUNDS_MILLIS.indexOf(200L) ? 1L : 0L);
    }
    assertThat(e.stats().histogram()).isEqualTo(expected);
  }

  @Test
  void red_counts_entry_spans_per_bucket() {
    clear(storage);
    long t0 = 1_700_000_000_000L * 1_000_000; // a multiple of 20 s
    storage.spanWriter().write(List.of(
        redSpan(1, "GET /rolldice", SpanKind.SERVER, t0, 10, 200, null),
        redSpan(2, "GET /rolldice", SpanKind.SERVER, t0 + 5_000_000_000L, 30, 500, null),
        redSpan(3, "GET /rolldice", SpanKind.SERVER, t0 + 25_000_000_000L, 20, 404, null),
        redSpan(4, "POST /score", SpanKind.SERVER, t0 + 1_000_000_000L, 50, 429, null),
        redSpan(5, "roll", SpanKind.INTERNAL, t0 + 1_000_000, 2, 0, new SpanId(1)),
        redSpan(6, "GET /rolldice", SpanKind.SERVER, t0 + 60_000_000_000L, 10, 200, null)));
    List<RedSeries> all = storage.serviceStats().red(
        RedQuery.of("dice-server", t0, t0 + 60_000_000_000L, java.time.Duration.ofSeconds(20)));
    assertThat(all).hasSize(1);
    assertThat(all.get(0).service()).isEqualTo("dice-server");
    assertThat(all.get(0).operation()).isNull();
    List<RedSeries.Point> p = all.get(0).points();
    assertThat(p).extracting(RedSeries.Point::timeNanos).containsExactly(t0, t0 + 20_000_000_000L);
    RedSeries.Point first = p.get(0);
    assertThat(new long[] {first.requests(), first.errors(), first.faults(), first.throttles()})
        .containsExactly(3, 1, 1, 1); // the 429 is an error and a throttle; the INTERNAL child is no request
    assertThat(first.durationSumNanos()).isEqualTo(90_000_000L);
    assertThat(first.p50Nanos() / 1e6).isCloseTo(30, within(1.0));
    assertThat(first.p99Nanos() / 1e6).isCloseTo(50, within(1.6));
    assertThat(p.get(1).requests()).isEqualTo(1);
    assertThat(p.get(1).errors()).isEqualTo(1);

    List<RedSeries> byOp = storage.serviceStats().red(
        new RedQuery(null, null, t0, t0 + 120_000_000_000L, 60_000_000_000L, true));
    assertThat(byOp).extracting(RedSeries::operation).containsExactly("GET /rolldice", "POST /score");
    assertThat(byOp.get(0).points()).extracting(RedSeries.Point::requests).containsExactly(3L, 1L);
    assertThat(storage.serviceStats().red(RedQuery.of("frontend", t0, t0 + 60_000_000_000L,
        java.time.Duration.ofMinutes(1)))).isEmpty();
  }

  /**
   * An X-Ray trace as the SDKs stream it: the subsegments first, each a document of its own whose
   * resource is named by the subsegment (a remote host, DynamoDB), the segment last.
   */
  @Test
  void independent_subsegments_belong_to_their_segments_service() {
    clear(storage);
    TraceId trace = TraceId.parse("1-655415d0-00000000000000000000a001");
    long t = nanos(20_000);
    SpanRecord segment = xraySpan(trace, 1, null, "scorekeep", "scorekeep", SpanKind.SERVER, t, 100, Map.of());
    SpanRecord remote = xraySpan(trace, 2, 1L, "api.example.com", "api.example.com", SpanKind.CLIENT, t + 10_000_000,
        30, Map.of("http.url", "https://api.example.com/health", "http.method", "POST"));
    SpanRecord local = xraySpan(trace, 3, 1L, "## save", "## save", SpanKind.INTERNAL, t + 50_000_000, 40, Map.of());
    SpanRecord ddb = xraySpan(trace, 4, 3L, "## save", "DynamoDB", SpanKind.CLIENT, t + 55_000_000, 20,
        Map.of("aws.service", "DynamoDB", "aws.operation", "PutItem", "aws.table_name", "scorekeep-state"));
    storage.spanWriter().write(List.of(remote));
    storage.spanWriter().write(List.of(local, ddb));
    assertThat(storage.names().services()).as("subsegments alone name no service").isEmpty();

    storage.spanWriter().write(List.of(segment));
    assertThat(storage.names().services()).containsExactly("scorekeep");
    assertThat(storage.traceSearch().search(TraceQuery.builder().where(new TraceFilter.IdIs(trace)).build()))
        .singleElement().satisfies(s -> assertThat(s.services()).containsExactly("scorekeep"));
    ServiceGraph g = storage.serviceGraph().graph(nanos(19_000), nanos(21_000));
    assertThat(g.nodes()).extracting(ServiceGraph.Node::name, ServiceGraph.Node::remote, ServiceGraph.Node::type,
            n -> n.stats().requests())
        .containsExactly(tuple("api.example.com", true, "remote", 1L), tuple("scorekeep", false, "service", 1L),
            tuple("scorekeep-state", true, "AWS::DynamoDB::Table", 1L));
    assertThat(g.edges()).extracting(ServiceGraph.Edge::from, ServiceGraph.Edge::to, ServiceGraph.Edge::remote)
        .containsExactly(tuple("scorekeep", "api.example.com", true), tuple("scorekeep", "scorekeep-state", true));
    assertThat(g.nodes()).filteredOn(ServiceGraph.Node::remote).allSatisfy(n -> assertThat(n.resource()).isEmpty());
    assertThat(g.nodes()).filteredOn(n -> n.name().equals("scorekeep")).singleElement()
        .satisfies(n -> assertThat(n.resource()).isEqualTo(segment.resourceAttributes()));
  }

  /**
   * A service condition holds on the spans of the service's segments, whatever their own resource
   * says: a subsegment sent alone (its resource named by the call) and a child span whose resource
   * carries another service.name are spans of their segment's service, as X-Ray's service() reads them.
   */
  @Test
  void service_condition_matches_the_segments_service() {
    clear(storage);
    TraceId xray = TraceId.parse("1-655415d1-00000000000000000000a001");
    TraceId otel = TraceId.parse("1-655415d1-00000000000000000000a002");
    TraceId dynamo = TraceId.parse("1-655415d1-00000000000000000000a003");
    long t = nanos(30_000);
    long ms = 1_000_000;
    storage.spanWriter().write(List.of(
        xraySpan(xray, 1, null, "scorekeep", "scorekeep", SpanKind.SERVER, t, 100, Map.of()),
        xraySpan(xray, 2, 1L, "DynamoDB", "DynamoDB", SpanKind.CLIENT, t + 10 * ms, 20,
            Map.of("aws.service", "DynamoDB", "aws.operation", "PutItem")),
        xraySpan(otel, 3, null, "front", "GET /", SpanKind.SERVER, t + ms, 50, Map.of()),
        xraySpan(otel, 4, 3L, "worker", "work", SpanKind.INTERNAL, t + 2 * ms, 10, Map.of()),
        xraySpan(dynamo, 5, null, "DynamoDB", "GetItem", SpanKind.SERVER, t + 3 * ms, 10, Map.of())));

    assertThat(traces(TraceQuery.builder().serviceName("DynamoDB"))).containsExactly(dynamo);
    assertThat(traces(TraceQuery.builder().serviceName("scorekeep"))).containsExactly(xray);
    assertThat(traces(TraceQuery.builder().serviceName("worker"))).isEmpty();
    assertThat(traces(TraceQuery.builder().serviceName("front").kind(SpanKind.INTERNAL))).containsExactly(otel);
    assertThat(traces(TraceQuery.builder().serviceName("scorekeep").scope(SpanScope.ROOT))).containsExactly(xray);
    // service("scorekeep") { … } holds on the call's own span; NOT service("DynamoDB") on both other traces.
    assertThat(traces(TraceQuery.builder().where(new TraceFilter.HasSpan(SpanFilter.builder().serviceName("scorekeep")
        .attribute(AttributeCondition.equalTo("aws.operation", "PutItem")).build(), SpanScope.ANY))))
        .containsExactly(xray);
    assertThat(traces(TraceQuery.builder().where(new TraceFilter.Not(new TraceFilter.HasSpan(
        SpanFilter.builder().serviceName("DynamoDB").build(), SpanScope.ANY))))).containsExactly(otel, xray);
  }

  /** The ids of the traces a search finds, newest first. */
  private List<TraceId> traces(TraceQuery.Builder q) {
    return storage.traceSearch().search(q.build()).stream().map(TraceSummary::traceId).toList();
  }

  private static SpanRecord xraySpan(TraceId trace, long id, Long parent, String service, String name, SpanKind kind,
      long start, long millis, Map<String, Object> attributes) {
    return SpanRecord.builder().traceId(trace).spanId(new SpanId(id))
        .parentSpanId(parent == null ? null : new SpanId(parent)).serviceName(service).name(name).kind(kind)
        .startNanos(start).endNanos(start + millis * 1_000_000).attributes(attributes)
        .resourceAttributes(Map.of("service.name", service, "cloud.provider", "unknown")).build();
  }

  private static SpanRecord redSpan(long id, String name, SpanKind kind, long start, long millis, int http,
      SpanId parent) {
    return SpanRecord.builder().traceId(new TraceId(0x6554_15c5_0000_0000L, 0xbeef_0000L + (parent == null ? id : 1)))
        .spanId(new SpanId(id)).parentSpanId(parent).serviceName("dice-server").name(name).kind(kind)
        .startNanos(start).endNanos(start + millis * 1_000_000).httpStatus(http).build();
  }

  // ---- log group catalog: CloudWatch Logs' metadata (each case clears the store first)

  /** Creation and ingestion times: epoch ms, and its nanoseconds. */
  private static final long MS = 1_700_000_000_000L;
  private static final long NS = MS * 1_000_000L;

  private LogGroupCatalog emptyCatalog() {
    clear(storage);
    return storage.logGroups();
  }

  @Test
  void logGroups_create_list_and_refuse_a_second_create() {
    LogGroupCatalog c = emptyCatalog();
    assertThat(c.entry("/ecs/dice")).isEmpty();
    c.createGroup("/ecs/dice", MS);
    c.createGroup("/ecs/a", MS + 1);
    assertThatThrownBy(() -> c.createGroup("/ecs/dice", MS + 2)).isInstanceOf(AlreadyExistsException.class)
        .hasMessage("log group '/ecs/dice' already exists");
    assertThat(c.groups()).extracting(Group::name, Group::creationTimeMillis, Group::retentionInDays,
        Group::storedBytes).containsExactly(tuple("/ecs/a", MS + 1, null, 0L), tuple("/ecs/dice", MS, null, 0L));
    assertThat(c.entry("/ecs/dice").orElseThrow().group().streams()).isEmpty();
  }

  @Test
  void logGroups_streams_and_retention_need_their_group() {
    LogGroupCatalog c = emptyCatalog();
    assertThatThrownBy(() -> c.createStream("/none", "s", MS)).isInstanceOf(NotFoundException.class)
        .hasMessage("log group '/none' does not exist").extracting("stream").isNull();
    assertThatThrownBy(() -> c.putRetention("/none", 7)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> c.deleteStream("/none", "s", NS)).isInstanceOf(NotFoundException.class);
    c.createGroup("/g", MS);
    c.createStream("/g", "b", MS + 1);
    c.createStream("/g", "a", MS + 2);
    assertThatThrownBy(() -> c.createStream("/g", "a", MS + 3)).isInstanceOf(AlreadyExistsException.class)
        .hasMessage("log stream 'a' of log group '/g' already exists").extracting("stream").isEqualTo("a");
    assertThatThrownBy(() -> c.deleteStream("/g", "zz", NS)).isInstanceOf(NotFoundException.class)
        .hasMessage("log stream 'zz' of log group '/g' does not exist");
    c.putRetention("/g", 30);
    assertThat(c.groups()).extracting(Group::retentionInDays).containsExactly(30);
    c.putRetention("/g", null);
    Group g = c.entry("/g").orElseThrow().group();
    assertThat(g.retentionInDays()).isNull();
    assertThat(g.streams().values()).extracting(LogGroupEntry.Stream::name, LogGroupEntry.Stream::creationTimeMillis)
        .containsExactly(tuple("a", MS + 2), tuple("b", MS + 1));
  }

  @Test
  void logGroups_recordPut_keeps_statistics() {
    LogGroupCatalog c = emptyCatalog();
    c.createGroup("/g", MS);
    c.createStream("/g", "s", MS);
    assertThatThrownBy(() -> c.recordPut("/g", "other", 1, 2, 3, MS)).isInstanceOf(NotFoundException.class);
    c.recordPut("/g", "s", 1000, 2000, 100, MS + 10);
    c.recordPut("/g", "s", 500, 1500, 50, MS + 20);
    c.recordPut("/g", "s", Long.MAX_VALUE, Long.MIN_VALUE, 0, MS + 30); // every event rejected
    Group g = c.entry("/g").orElseThrow().group();
    assertThat(g.storedBytes()).isEqualTo(150);
    assertThat(g.streams().get("s")).isEqualTo(new LogGroupEntry.Stream("s", MS, 500L, 2000L, MS + 30, 3, 150));
  }

  @Test
  void logGroups_deleted_stream_hides_its_old_records_also_when_created_again() {
    LogGroupCatalog c = emptyCatalog();
    c.createGroup("/g", MS);
    c.createStream("/g", "s", MS);
    c.createStream("/g", "t", MS);
    c.deleteStream("/g", "s", NS + 100);
    LogGroupEntry e = c.entry("/g").orElseThrow();
    assertThat(e.group().streams()).containsOnlyKeys("t");
    assertThat(List.of(e.visible("s", NS + 100), e.visible("s", NS + 101), e.visible("t", NS + 100)))
        .containsExactly(false, true, true);
    c.createStream("/g", "s", MS + 1);
    assertThat(c.entry("/g").orElseThrow().visible("s", NS + 100)).isFalse();
  }

  @Test
  void logGroups_deleted_group_keeps_its_cutoff_and_is_not_adopted_again() {
    LogGroupCatalog c = emptyCatalog();
    c.createGroup("/g", MS);
    c.createStream("/g", "s", MS);
    c.putRetention("/g", 7);
    assertThatThrownBy(() -> c.deleteGroup("/missing", NS, List.of())).isInstanceOf(NotFoundException.class);
    c.deleteGroup("/g", NS + 100, List.of("from-store"));
    assertThat(c.groups()).isEmpty();
    LogGroupEntry e = c.entry("/g").orElseThrow();
    assertThat(e.exists()).isFalse();
    assertThat(List.of(e.visible("s", NS + 100), e.visible("x", NS + 100), e.visible("x", NS + 101)))
        .containsExactly(false, false, true);
    c.adopt("/g", List.of("s", "from-store", "new"), MS + 5);
    assertThat(c.entry("/g").orElseThrow().exists()).as("adopted after an API delete").isFalse();
    assertThatThrownBy(() -> c.createStream("/g", "s", MS)).isInstanceOf(NotFoundException.class);

    c.createGroup("/g", MS + 6);
    c.adopt("/g", List.of("s", "from-store", "new"), MS + 7);
    Group g = c.entry("/g").orElseThrow().group();
    assertThat(g.creationTimeMillis()).isEqualTo(MS + 6);
    assertThat(g.retentionInDays()).isNull();
    assertThat(g.streams()).containsOnlyKeys("new");
    assertThat(c.entry("/g").orElseThrow().visible("s", NS + 100)).isFalse();
  }

  @Test
  void logGroups_adopt_creates_what_the_store_knows_once() {
    LogGroupCatalog c = emptyCatalog();
    c.adopt("/otlp", List.of("b", "a"), MS);
    c.adopt("/otlp", List.of("a"), MS + 9);
    Group g = c.entry("/otlp").orElseThrow().group();
    assertThat(g.creationTimeMillis()).isEqualTo(MS);
    assertThat(g.streams().values()).extracting(LogGroupEntry.Stream::name, LogGroupEntry.Stream::creationTimeMillis)
        .containsExactly(tuple("a", MS), tuple("b", MS));
    assertThatThrownBy(() -> c.createGroup("/otlp", MS)).isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void logGroups_delete_cutoff_covers_the_latest_recorded_ingestion() {
    LogGroupCatalog c = emptyCatalog();
    c.createGroup("/g", MS);
    c.createStream("/g", "s", MS);
    c.recordPut("/g", "s", 1, 1, 10, MS + 50);
    // The deleting process's clock is behind the one that acknowledged the put.
    LogGroupEntry e = c.deleteGroup("/g", NS + 10_000_000L, List.of());
    assertThat(e.visible("s", NS + 50_999_999L)).isFalse();
    assertThat(e.visible("s", NS + 51_000_000L)).isTrue();
  }

  @Test
  void logGroups_concurrent_changes_of_one_name_lose_nothing() throws Exception {
    LogGroupCatalog c = emptyCatalog();
    int n = 8;
    List<Boolean> created = concurrently(n, i -> {
      try {
        c.createGroup("/race", MS + i);
        return true;
      } catch (AlreadyExistsException e) {
        return false;
      }
    });
    assertThat(created).as("creates that succeeded").containsOnlyOnce(true);
    concurrently(n, i -> c.createStream("/race", "s" + i, MS));
    assertThat(c.entry("/race").orElseThrow().group().streams()).hasSize(n);
  }

  private static <T> List<T> concurrently(int n, java.util.function.IntFunction<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit((Callable<T>) () -> {
          start.await();
          return task.apply(index);
        }));
      }
      start.countDown();
      List<T> out = new ArrayList<>();
      for (Future<T> f : futures) {
        out.add(f.get());
      }
      return out;
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- data-driven areas; a backend disables an area by overriding it with @Disabled("why")

  @TestFactory
  protected Stream<DynamicTest> traceById() {
    return run("traceById", c -> {
      List<TraceId> ids = new ArrayList<>();
      c.query().get("traceIds").forEach(n -> ids.add(TraceId.parse(n.asText())));
      List<Trace> found = ids.size() == 1
          ? storage.traceReader().trace(ids.get(0)).map(List::of).orElse(List.of())
          : storage.traceReader().traces(ids);
      assertThat(found.stream().map(t -> traceName(t.traceId())).toList()).as(c.caption())
          .isEqualTo(strings(c.expected()));
      for (Trace t : found) {
        assertThat(t.spans()).as(c.caption()).containsExactlyInAnyOrderElementsOf(DATA.traces.get(traceName(t.traceId())));
      }
    });
  }

  @TestFactory
  protected Stream<DynamicTest> traceSearch() {
    return run("traceSearch", c -> {
      List<TraceSummary> found = storage.traceSearch().search(traceQuery(c.query()));
      assertThat(found.stream().map(s -> traceName(s.traceId())).toList()).as(c.caption())
          .isEqualTo(strings(c.expected()));
    });
  }

  @TestFactory
  protected Stream<DynamicTest> logSearch() {
    return run("logSearch", c -> {
      JsonNode q = c.query();
      LogQuery query = logQuery(q);
      List<String> found = new ArrayList<>();
      if (q.path("pageAll").asBoolean()) {
        int pages = 0;
        String token = null;
        do {
          LogPage page = storage.logSearch().search(copyWithToken(q, token));
          assertThat(page.entries().size()).as("%s: page %s size", c.caption(), pages).isLessThanOrEqualTo(query.limit());
          page.entries().forEach(e -> found.add(fixtureId(e.record())));
          token = page.nextPageToken();
          assertThat(++pages).as("%s: pages", c.caption()).isLessThan(100);
        } while (token != null);
      } else {
        LogPage page = storage.logSearch().search(query);
        page.entries().forEach(e -> found.add(fixtureId(e.record())));
      }
      assertThat(found).as(c.caption()).isEqualTo(strings(c.expected()));
    });
  }

  @TestFactory
  protected Stream<DynamicTest> correlation() {
    return run("correlation", c -> {
      JsonNode q = c.query();
      List<String> found = new ArrayList<>();
      if (q.has("logsOfTrace")) {
        LogPage page = storage.logSearch().search(LogQuery.builder()
            .traceId(TraceId.parse(q.get("logsOfTrace").asText())).limit(1000).build());
        page.entries().forEach(e -> found.add(fixtureId(e.record())));
      } else {
        TraceId traceId;
        if (q.has("traceOfLog")) {
          String wanted = q.get("traceOfLog").asText();
          LogRecord stored = storage.logSearch().search(LogQuery.builder().limit(1000)
                  .field(AttributeCondition.equalTo("fixture", wanted)).build())
              .entries().get(0).record();
          traceId = stored.traceId();
        } else {
          traceId = TraceCorrelation.findTraceId(q.get("line").asText());
        }
        if (traceId != null) {
          storage.traceReader().trace(traceId).ifPresent(t -> found.add(traceName(t.traceId())));
        }
      }
      assertThat(found).as(c.caption()).isEqualTo(strings(c.expected()));
    });
  }

  @TestFactory
  protected Stream<DynamicTest> metrics() {
    return run("metrics", c -> {
      JsonNode q = c.query();
      MetricQuery.Builder b = MetricQuery.builder(q.get("namespace").asText(), q.get("name").asText())
          .window(nanos(q.get("start").asLong()), nanos(q.get("end").asLong()))
          .periodSeconds(q.get("period").asLong())
          .dimensionMatch(MetricQuery.DimensionMatch.valueOf(q.path("match").asText("EXACT")));
      q.path("dimensions").properties().forEach(e -> b.dimension(e.getKey(), e.getValue().asText()));
      q.get("stats").forEach(s -> b.statistic(s.asText()));
      List<MetricSeries> series = storage.metricSearch().query(b.build());
      assertThat(series).as(c.caption()).hasSize(c.expected().size());
      for (int i = 0; i < series.size(); i++) {
        MetricSeries s = series.get(i);
        JsonNode e = c.expected().get(i);
        assertThat(s.dimensions()).as(c.caption()).isEqualTo(stringMap(e.get("dimensions")));
        List<Long> ts = new ArrayList<>();
        e.get("timestamps").forEach(t -> ts.add(nanos(t.asLong())));
        assertThat(s.timestamps()).as("%s: timestamps", c.caption()).isEqualTo(ts);
        e.get("values").properties().forEach(v -> {
          List<Double> actual = s.values(Statistic.parse(v.getKey()));
          assertThat(actual).as("%s: %s", c.caption(), v.getKey()).hasSize(v.getValue().size());
          for (int k = 0; k < actual.size(); k++) {
            assertThat(actual.get(k)).as("%s: %s[%s]", c.caption(), v.getKey(), k)
                .isCloseTo(v.getValue().get(k).asDouble(), within(1e-9));
          }
        });
      }
    });
  }

  @TestFactory
  protected Stream<DynamicTest> names() {
    return run("names", c -> {
      JsonNode q = c.query();
      Names n = storage.names();
      String of = q.path("of").asText();
      List<String> found = switch (q.get("what").asText()) {
        case "services" -> n.services();
        case "operations" -> n.operations(of);
        case "logGroups" -> n.logGroups();
        case "logStreams" -> n.logStreams(of);
        case "metricNamespaces" -> n.metricNamespaces();
        case "metricNames" -> n.metricNames(of);
        case "dimensionKeys" -> n.dimensionKeys(of, q.get("metric").asText());
        default -> throw new IllegalArgumentException("names case: unknown 'what' " + q.get("what"));
      };
      assertThat(found).as(c.caption()).isEqualTo(strings(c.expected()));
    });
  }

  @TestFactory
  protected Stream<DynamicTest> serviceGraph() {
    return run("serviceGraph", c -> {
      ServiceGraph g = storage.serviceGraph().graph(nanos(c.query().get("start").asLong()),
          nanos(c.query().get("end").asLong()));
      List<String> edges = g.edges().stream().map(e -> e.from() + " -> " + e.to() + " remote=" + e.remote()
          + " " + stats(e.stats()) + " totalMs=" + e.stats().totalNanos() / 1_000_000).sorted().toList();
      List<String> expectedEdges = new ArrayList<>();
      c.expected().get("edges").forEach(e -> expectedEdges.add(e.get("from").asText() + " -> " + e.get("to").asText()
          + " remote=" + e.get("remote").asBoolean() + " " + stats(e) + " totalMs=" + e.get("totalMs").asLong()));
      assertThat(edges).as("%s: edges", c.caption()).isEqualTo(expectedEdges.stream().sorted().toList());
      List<String> nodes = g.nodes().stream().map(x -> x.name() + " remote=" + x.remote() + " " + stats(x.stats()))
          .sorted().toList();
      List<String> expectedNodes = new ArrayList<>();
      c.expected().get("nodes").forEach(x -> expectedNodes.add(x.get("name").asText() + " remote="
          + x.get("remote").asBoolean() + " " + stats(x)));
      assertThat(nodes).as("%s: nodes", c.caption()).isEqualTo(expectedNodes.stream().sorted().toList());
    });
  }

  @TestFactory
  protected Stream<DynamicTest> retention() {
    return run("retention", c -> {
      JsonNode e = c.expected();
      Retention.Deleted d = storage.retention().deleteOlderThan(nanos(c.query().get("cutoff").asLong()));
      assertThat(List.of(d.spans(), d.logRecords(), d.metricPoints())).as("%s: deleted", c.caption())
          .isEqualTo(longs(e.get("deleted")));
      Retention.StoreSize size = storage.retention().size();
      assertThat(List.of(size.spans(), size.logRecords(), size.metricPoints())).as("%s: size", c.caption())
          .isEqualTo(longs(e.get("size")));
      List<String> traces = storage.traceSearch().search(TraceQuery.builder().limit(1000).build()).stream()
          .map(s -> traceName(s.traceId())).sorted().toList();
      assertThat(traces).as("%s: traces left", c.caption()).isEqualTo(strings(e.get("traces")));
      List<String> logs = storage.logSearch().search(LogQuery.builder().limit(1000).build()).entries().stream()
          .map(x -> fixtureId(x.record())).sorted().toList();
      assertThat(logs).as("%s: logs left", c.caption()).isEqualTo(strings(e.get("logs")));
    });
  }

  // ---- JSON → query objects

  static TraceQuery traceQuery(JsonNode q) {
    TraceQuery.Builder b = TraceQuery.builder();
    if (q.has("start") || q.has("end")) {
      b.window(nanos(q.path("start").asLong(-1_000_000_000L)), nanos(q.path("end").asLong(1_000_000_000L)));
    }
    if (q.has("service")) {
      b.serviceName(q.get("service").asText());
    }
    if (q.has("name")) {
      b.spanName(q.get("name").asText());
    }
    if (q.has("kind")) {
      b.kind(SpanKind.valueOf(q.get("kind").asText()));
    }
    q.path("status").forEach(s -> b.status(TraceStatus.valueOf(s.asText())));
    q.path("attributes").forEach(a -> b.attribute(condition(a)));
    if (q.has("httpStatus")) {
      b.httpStatus(q.get("httpStatus").asInt());
    }
    if (q.has("httpStatusRange")) {
      b.httpStatusRange(q.get("httpStatusRange").get(0).asInt(), q.get("httpStatusRange").get(1).asInt());
    }
    if (q.has("httpMethod")) {
      b.httpMethod(q.get("httpMethod").asText());
    }
    if (q.has("urlContains")) {
      b.httpUrlContains(q.get("urlContains").asText());
    }
    if (q.has("scope")) {
      b.scope(SpanScope.valueOf(q.get("scope").asText()));
    }
    if (q.has("minMs")) {
      b.minDurationNanos(q.get("minMs").asLong() * 1_000_000L);
    }
    if (q.has("maxMs")) {
      b.maxDurationNanos(q.get("maxMs").asLong() * 1_000_000L);
    }
    if (q.has("limit")) {
      b.limit(q.get("limit").asInt());
    }
    if (q.has("order")) {
      b.order(TraceQuery.Order.valueOf(q.get("order").asText()));
    }
    if (q.has("where")) {
      b.where(filter(q.get("where")));
    }
    return b.build();
  }

  static TraceFilter filter(JsonNode f) {
    if (f.has("all")) {
      List<TraceFilter> all = new ArrayList<>();
      f.get("all").forEach(x -> all.add(filter(x)));
      return new TraceFilter.All(all);
    }
    if (f.has("any")) {
      List<TraceFilter> any = new ArrayList<>();
      f.get("any").forEach(x -> any.add(filter(x)));
      return new TraceFilter.Any(any);
    }
    if (f.has("not")) {
      return new TraceFilter.Not(filter(f.get("not")));
    }
    if (f.has("edge")) {
      return new TraceFilter.Edge(f.get("edge").get(0).asText(), f.get("edge").get(1).asText());
    }
    if (f.has("id")) {
      return new TraceFilter.IdIs(TraceId.parse(f.get("id").asText()));
    }
    if (f.has("durationMs")) {
      return new TraceFilter.Duration(f.get("durationMs").get(0).asLong() * 1_000_000L,
          f.get("durationMs").get(1).asLong() * 1_000_000L);
    }
    JsonNode h = f.get("hasSpan");
    SpanFilter.Builder s = SpanFilter.builder();
    if (h.has("service")) {
      s.serviceName(h.get("service").asText());
    }
    h.path("status").forEach(x -> s.status(TraceStatus.valueOf(x.asText())));
    if (h.has("minMs")) {
      s.minDurationNanos(h.get("minMs").asLong() * 1_000_000L);
    }
    return new TraceFilter.HasSpan(s.build(), SpanScope.valueOf(h.path("scope").asText("ANY")));
  }

  static LogQuery logQuery(JsonNode q) {
    LogQuery.Builder b = LogQuery.builder();
    if (q.has("start") || q.has("end")) {
      b.window(nanos(q.path("start").asLong(-1_000_000_000L)), nanos(q.path("end").asLong(1_000_000_000L)));
    }
    q.path("groups").forEach(g -> b.logGroup(g.asText()));
    q.path("streams").forEach(g -> b.logStream(g.asText()));
    if (q.has("streamPrefix")) {
      b.logStreamPrefix(q.get("streamPrefix").asText());
    }
    if (q.has("service")) {
      b.serviceName(q.get("service").asText());
    }
    if (q.has("text")) {
      b.text(q.get("text").asText());
    }
    if (q.has("traceId")) {
      b.traceId(TraceId.parse(q.get("traceId").asText()));
    }
    if (q.has("spanId")) {
      b.spanId(SpanId.parse(q.get("spanId").asText()));
    }
    q.path("fields").forEach(a -> b.field(condition(a)));
    if (q.has("limit")) {
      b.limit(q.get("limit").asInt());
    }
    if (q.has("order")) {
      b.order(LogQuery.Order.valueOf(q.get("order").asText()));
    }
    if (q.has("pageToken")) {
      b.pageToken(q.get("pageToken").asText());
    }
    return b.build();
  }

  private static LogQuery copyWithToken(JsonNode q, String token) {
    com.fasterxml.jackson.databind.node.ObjectNode copy = q.deepCopy();
    if (token != null) {
      copy.put("pageToken", token);
    }
    return logQuery(copy);
  }

  static AttributeCondition condition(JsonNode a) {
    return new AttributeCondition(a.get("key").asText(), AttributeCondition.Op.valueOf(a.get("op").asText()),
        a.has("value") ? ConformanceData.value(a.get("value")) : null);
  }

  // ---- helpers

  private static String traceName(TraceId id) {
    String name = DATA.traceNames.get(id);
    return name != null ? name : "unknown trace " + id;
  }

  private static String fixtureId(LogRecord r) {
    Object id = r.attributes().get("fixture");
    return id != null ? id.toString() : "log without fixture id: " + r.body();
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<Long> longs(JsonNode array) {
    List<Long> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asLong()));
    return out;
  }

  private static Map<String, String> stringMap(JsonNode obj) {
    Map<String, String> out = new TreeMap<>();
    obj.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static String stats(ServiceGraph.RequestStats s) {
    return "requests=" + s.requests() + " errors=" + s.errors() + " faults=" + s.faults() + " throttles=" + s.throttles();
  }

  private static String stats(JsonNode e) {
    return "requests=" + e.get("requests").asLong() + " errors=" + e.get("errors").asLong() + " faults="
        + e.get("faults").asLong() + " throttles=" + e.get("throttles").asLong();
  }
}
