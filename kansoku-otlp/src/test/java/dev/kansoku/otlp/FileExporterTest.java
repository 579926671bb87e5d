package dev.kansoku.otlp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileExporterTest {
  private static final Host HOST = new Host() {
    @Override
    public <E> Optional<E> extension(ComponentId id, Class<E> type) {
      return Optional.empty();
    }
  };

  @TempDir Path dir;

  private Exporter create(String yamlAsJson) throws ConfigException, IOException {
    FileExporterFactory factory = new FileExporterFactory();
    FileExporterConfig config = ConfigBinder.bind(new ObjectMapper().readTree(yamlAsJson), factory.createDefaultConfig(),
        "exporters::file");
    return factory.create(config, new ComponentContext() {
      @Override
      public ComponentId id() {
        return new ComponentId("file", "");
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return create.get();
      }
    });
  }

  private String config(Path file, String more) {
    return "{\"path\":\"" + file.toString().replace("\\", "\\\\") + "\"" + more + "}";
  }

  @Test
  void json_allSignalsReadBack() throws Exception {
    Path file = dir.resolve("out.jsonl");
    Exporter exporter = create(config(file, ""));
    exporter.start(HOST);
    exporter.consumer(Signal.TRACES).consume(OtlpFixtures.traces());
    exporter.consumer(Signal.METRICS).consume(OtlpFixtures.metrics());
    exporter.consumer(Signal.LOGS).consume(OtlpFixtures.logs());
    exporter.shutdown();

    List<String> lines = Files.readAllLines(file, UTF_8);
    assertThat(lines).hasSize(3);
    ExportTraceServiceRequest traces = OtlpJson.parse(Signal.TRACES, lines.get(0).getBytes(UTF_8));
    ExportMetricsServiceRequest metrics = OtlpJson.parse(Signal.METRICS, lines.get(1).getBytes(UTF_8));
    ExportLogsServiceRequest logs = OtlpJson.parse(Signal.LOGS, lines.get(2).getBytes(UTF_8));

    Span server = traces.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(server.getTraceId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.TRACE_ID));
    assertThat(server.getSpanId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.SERVER_SPAN_ID));
    assertThat(server.getName()).isEqualTo("GET /rolldice");
    assertThat(server.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(server.getAttributesList()).contains(OtlpFixtures.attr("http.response.status_code", 200L));
    Span roll = traces.getResourceSpans(0).getScopeSpans(0).getSpans(1);
    assertThat(roll.getParentSpanId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.SERVER_SPAN_ID));
    assertThat(roll.getEvents(0).getName()).isEqualTo("rolled");
    assertThat(server.getLinks(0).getTraceId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.LINKED_TRACE_ID));

    Metric rolls = metrics.getResourceMetrics(0).getScopeMetrics(0).getMetrics(1);
    assertThat(rolls.getName()).isEqualTo("dice.rolls");
    assertThat(rolls.getSum().getIsMonotonic()).isTrue();
    assertThat(rolls.getSum().getDataPoints(0).getAsInt()).isEqualTo(42);
    assertThat(rolls.getSum().getDataPoints(0).getExemplars(0).getSpanId())
        .isEqualTo(OtlpFixtures.id(OtlpFixtures.ROLL_SPAN_ID));
    Metric duration = metrics.getResourceMetrics(0).getScopeMetrics(0).getMetrics(2);
    assertThat(duration.getHistogram().getDataPoints(0).getBucketCountsList()).containsExactly(0L, 2L, 1L, 0L);

    LogRecord record = logs.getResourceLogs(0).getScopeLogs(0).getLogRecords(0);
    assertThat(record.getTraceId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.TRACE_ID));
    assertThat(record.getSpanId()).isEqualTo(OtlpFixtures.id(OtlpFixtures.ROLL_SPAN_ID));
    assertThat(record.getSeverityText()).isEqualTo("INFO");
    assertThat(record.getBody().getStringValue()).startsWith("Anonymous player is rolling the dice: 6");

    // And exactly what the collector writes: the golden lines.
    assertThat(traces).isEqualTo(OtlpFixtures.traces());
    assertThat(metrics).isEqualTo(OtlpFixtures.metrics());
    assertThat(logs).isEqualTo(OtlpFixtures.logs());
    assertThat(Files.readString(file, UTF_8)).isEqualTo(new String(OtlpJson.write(OtlpFixtures.traces()), UTF_8) + "\n"
        + new String(OtlpJson.write(OtlpFixtures.metrics()), UTF_8) + "\n"
        + new String(OtlpJson.write(OtlpFixtures.logs()), UTF_8) + "\n");
  }

  @Test
  void proto_lengthPrefixedRecords() throws Exception {
    Path file = dir.resolve("out.pb");
    Exporter exporter = create(config(file, ",\"format\":\"proto\""));
    exporter.start(HOST);
    exporter.consumer(Signal.TRACES).consume(OtlpFixtures.traces());
    exporter.consumer(Signal.TRACES).consume(OtlpFixtures.traces());
    exporter.shutdown();

    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      for (int i = 0; i < 2; i++) {
        int length = in.readInt(); // big-endian, as the collector writes it
        byte[] body = in.readNBytes(length);
        assertThat(body).hasSize(length);
        assertThat(ExportTraceServiceRequest.parseFrom(body)).isEqualTo(OtlpFixtures.traces());
      }
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void concurrentWriters_onlyWholeLines() throws Exception {
    Path file = dir.resolve("concurrent.jsonl");
    Exporter exporter = create(config(file, ""));
    exporter.start(HOST);
    DataConsumer<ExportLogsServiceRequest> logs = exporter.consumer(Signal.LOGS);
    int threads = 8;
    int perThread = 200;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit((Callable<Void>) () -> {
          for (int i = 0; i < perThread; i++) {
            logs.consume(numbered(thread + "-" + i));
          }
          return null;
        }));
      }
      for (Future<Void> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    exporter.shutdown();

    List<String> lines = Files.readAllLines(file, UTF_8);
    assertThat(lines).hasSize(threads * perThread);
    List<String> bodies = new ArrayList<>();
    for (String line : lines) {
      bodies.add(OtlpJson.parse(Signal.LOGS, line.getBytes(UTF_8))
          .getResourceLogs(0).getScopeLogs(0).getLogRecords(0).getBody().getStringValue());
    }
    List<String> expected = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        expected.add(t + "-" + i);
      }
    }
    assertThat(bodies).containsExactlyInAnyOrderElementsOf(expected);
  }

  private static ExportLogsServiceRequest numbered(String body) {
    ExportLogsServiceRequest base = OtlpFixtures.logs();
    LogRecord record = base.getResourceLogs(0).getScopeLogs(0).getLogRecords(0).toBuilder()
        .setBody(io.opentelemetry.proto.common.v1.AnyValue.newBuilder().setStringValue(body)).build();
    return base.toBuilder().setResourceLogs(0, base.getResourceLogs(0).toBuilder()
        .setScopeLogs(0, base.getResourceLogs(0).getScopeLogs(0).toBuilder().setLogRecords(0, record))).build();
  }

  @Test
  void shutdown_flushes() throws Exception {
    Path file = dir.resolve("flush.jsonl");
    // An interval far longer than the test: only shutdown can have flushed.
    Exporter exporter = create(config(file, ",\"flush_interval\":\"1h\""));
    exporter.start(HOST);
    exporter.consumer(Signal.LOGS).consume(OtlpFixtures.logs());
    assertThat(Files.size(file)).isZero(); // still in the buffer
    exporter.shutdown();
    assertThat(Files.readAllLines(file, UTF_8)).hasSize(1);
    exporter.shutdown(); // idempotent
  }

  @Test
  void flushInterval_flushesWhileRunning() throws Exception {
    Path file = dir.resolve("timed.jsonl");
    Exporter exporter = create(config(file, ",\"flush_interval\":\"20ms\""));
    exporter.start(HOST);
    try {
      exporter.consumer(Signal.LOGS).consume(OtlpFixtures.logs());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (Files.size(file) == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(Files.readAllLines(file, UTF_8)).hasSize(1);
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void appendFalse_truncates_appendTrue_keeps() throws Exception {
    Path file = dir.resolve("existing.jsonl");
    Files.writeString(file, "old line\n");
    Exporter truncating = create(config(file, ""));
    truncating.start(HOST);
    truncating.shutdown();
    assertThat(Files.readString(file)).isEmpty();

    Files.writeString(file, "old line\n");
    Exporter appending = create(config(file, ",\"append\":true"));
    appending.start(HOST);
    appending.consumer(Signal.LOGS).consume(OtlpFixtures.logs());
    appending.shutdown();
    List<String> lines = Files.readAllLines(file, UTF_8);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).isEqualTo("old line");
    assertThat(OtlpJson.parse(Signal.LOGS, lines.get(1).getBytes(UTF_8))).isEqualTo(OtlpFixtures.logs());
  }

  @Test
  void shutdownWithoutStart_andConsumeWhenNotRunning() throws Exception {
    Path file = dir.resolve("never.jsonl");
    Exporter exporter = create(config(file, ""));
    exporter.shutdown();
    assertThatThrownBy(() -> exporter.consumer(Signal.LOGS).consume(OtlpFixtures.logs()))
        .isInstanceOf(ConsumeException.class)
        .hasMessage("exporter file is shutting down")
        .satisfies(e -> assertThat(((ConsumeException) e).reason()).isEqualTo(ConsumeException.Reason.UNAVAILABLE));
    assertThat(file).doesNotExist();
  }

  @Test
  void start_missingDirectory() throws Exception {
    Path file = dir.resolve("no/such/dir/out.jsonl");
    Exporter exporter = create(config(file, ""));
    assertThatThrownBy(() -> exporter.start(HOST)).isInstanceOf(IOException.class).hasMessageContaining(file.toString());
    exporter.shutdown();
  }

  @Test
  void writeError_isPermanentAndNamesPath() throws Exception {
    Path devFull = Path.of("/dev/full"); // every write fails with ENOSPC
    Assumptions.assumeTrue(Files.isWritable(devFull), "needs a writable /dev/full (Linux) to make writes fail");
    Exporter exporter = create("{\"path\":\"/dev/full\",\"flush_interval\":\"1h\"}");
    exporter.start(HOST);
    try {
      // Larger than the buffer, so the write reaches the device at once.
      DataConsumer<ExportTraceServiceRequest> traces = exporter.consumer(Signal.TRACES);
      ExportTraceServiceRequest big = OtlpFixtures.traces();
      for (int i = 0; i < 6; i++) {
        big = big.toBuilder().addAllResourceSpans(big.getResourceSpansList()).build();
      }
      ExportTraceServiceRequest request = big;
      assertThatThrownBy(() -> traces.consume(request))
          .isInstanceOf(ConsumeException.class)
          .hasMessageStartingWith("cannot write to /dev/full: ")
          .satisfies(e -> assertThat(((ConsumeException) e).reason()).isEqualTo(ConsumeException.Reason.PERMANENT));
    } finally {
      exporter.shutdown();
    }
  }

  @Test
  void config_defaultsAndErrors() throws Exception {
    FileExporterConfig defaults = new FileExporterFactory().createDefaultConfig();
    assertThat(defaults.format).isEqualTo("json");
    assertThat(defaults.append).isFalse();
    assertThat(defaults.flushInterval).isEqualTo(Duration.ofSeconds(1));
    assertThat(new FileExporterFactory().type()).isEqualTo("file");
    assertThat(new FileExporterFactory().signals()).containsExactlyInAnyOrderElementsOf(Signal.ALL);

    checkConfigError("{}", "exporters::file: path: must be set (expected: a file path such as ./telemetry.jsonl)");
    checkConfigError("{\"path\":\"x\",\"format\":\"xml\"}",
        "exporters::file: format: \"xml\" (expected one of [json, proto])");
    checkConfigError("{\"path\":\"x\",\"flush_interval\":\"0s\"}",
        "exporters::file: flush_interval: 0ms (expected: > 0, such as 1s)");
    assertThatThrownBy(() -> create("{\"path\":\"x\",\"rotation\":{}}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("exporters::file: unknown key \"rotation\"");
  }

  private void checkConfigError(String json, String message) {
    assertThatThrownBy(() -> create(json)).isInstanceOf(ConfigException.class).hasMessage(message);
  }
}
