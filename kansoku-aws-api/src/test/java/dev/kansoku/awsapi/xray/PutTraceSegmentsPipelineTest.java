package dev.kansoku.awsapi.xray;

import static dev.kansoku.awsapi.xray.XrayApiSdkTest.EPOCH;
import static dev.kansoku.awsapi.xray.XrayApiSdkTest.freePort;
import static dev.kansoku.awsapi.xray.XrayApiSdkTest.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.otlp.FileExporterFactory;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentFactory;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Exporter;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.PutTraceSegmentsResponse;
import software.amazon.awssdk.services.xray.model.ThrottledException;
import software.amazon.awssdk.services.xray.model.UnprocessedTraceSegment;

/**
 * PutTraceSegments as a door into the traces pipeline, through the AWS SDK for Java v2: the segments
 * reach every exporter of the pipeline, memory_limiter and retryable refusals are X-Ray's throttling
 * error, permanent refusals list the documents as unprocessed, and an endpoint without a traces
 * pipeline says how to add one.
 */
class PutTraceSegmentsPipelineTest {
  private static final String TRACE = "1-" + EPOCH + "-00000000000000000000d001";
  private static final String DOC = segment(TRACE, "d000000000000001", "dice-server", 10, 0.25, 200, """
      "subsegments": [{"id": "d000000000000002", "name": "dice-store", "namespace": "remote",
        "start_time": %s, "end_time": %s}],
      """.formatted(XrayApiSdkTest.t(10.01), XrayApiSdkTest.t(10.2)));

  private Service service;
  private XRayClient xray;
  /** Answers the first refusal, so a test sees exactly what the server said. */
  private XRayClient noRetry;

  /** A service whose kansoku extension listens on a free port: TestKansoku.PIPELINES, then {@code yaml} over it. */
  private void start(String yaml, ComponentFactory<?>... extra) throws Exception {
    int port = freePort();
    var registry = TestKansoku.registry(new TestComponents(), extra);
    String extension = "extensions: {kansoku: {endpoint: \"127.0.0.1:" + port + "\", storage: {type: memory}}}\n";
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(
        List.of("yaml:" + TestKansoku.PIPELINES, "yaml:" + extension + yaml), n -> null)), registry);
    service.start();
    xray = XrayApiSdkTest.client(port);
    noRetry = XrayApiSdkTest.client(port, o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
  }

  @AfterEach
  void stop() {
    if (xray != null) {
      xray.close();
      noRetry.close();
    }
    if (service != null) {
      service.shutdown();
    }
  }

  @Test
  void fileExporterBesideKansoku_bothGetTheSegments(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("traces.pb");
    start("""
        exporters: {file: {path: "%s", format: proto}}
        service: {pipelines: {traces: {exporters: [kansoku, file]}}}
        """.formatted(file), new FileExporterFactory());

    assertThat(xray.putTraceSegments(b -> b.traceSegmentDocuments(DOC)).unprocessedTraceSegments()).isEmpty();

    // One segment, its subsegment nested in it: BatchGetTraces answers compiled traces.
    assertThat(xray.batchGetTraces(b -> b.traceIds(TRACE)).traces()).singleElement()
        .satisfies(t -> assertThat(t.segments()).singleElement().satisfies(s -> assertThat(s.document())
            .contains("\"subsegments\":[{").contains("\"id\":\"d000000000000002\"")));
    service.shutdown(); // the file exporter flushes
    List<Span> spans = new ArrayList<>();
    for (ExportTraceServiceRequest r : readProtoFile(file)) {
      r.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(ss -> spans.addAll(ss.getSpansList())));
    }
    assertThat(spans).extracting(s -> HexFormat.of().formatHex(s.getSpanId().toByteArray()), Span::getName)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("d000000000000001", "dice-server"),
            org.assertj.core.groups.Tuple.tuple("d000000000000002", "dice-store"));
    assertThat(HexFormat.of().formatHex(spans.get(0).getTraceId().toByteArray()))
        .isEqualTo(TRACE.substring(2, 10) + TRACE.substring(11));
  }

  @Test
  void memoryLimiterRefuses_throttledExceptionTheSdkRetries() throws Exception {
    // A 1 MiB limit is below any JVM's heap in use: the limiter refuses from its first measurement.
    start("""
        processors: {memory_limiter: {limit_mib: 1, check_interval: 1s}}
        service: {pipelines: {traces: {processors: [memory_limiter]}}}
        """);

    assertThatThrownBy(() -> xray.putTraceSegments(b -> b.traceSegmentDocuments(DOC)))
        .isInstanceOfSatisfying(ThrottledException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ThrottledException");
          assertThat(e.isThrottlingException()).isTrue();
          assertThat(e.numAttempts()).as("the SDK retried the throttle by itself").isGreaterThan(1);
          assertThat(e.awsErrorDetails().errorMessage()).startsWith("PutTraceSegments: memory_limiter")
              .contains("soft limit");
          assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")).hasValue("1");
        });
    assertThat(xray.batchGetTraces(b -> b.traceIds(TRACE)).unprocessedTraceIds()).containsExactly(TRACE);
  }

  @Test
  void exporterRefusesForNow_throttledException() throws Exception {
    start("""
        exporters: {refuse: }
        service: {pipelines: {traces: {exporters: [refuse]}}}
        """, new Refusing(() -> ConsumeException.unavailable("the store is flushing", Duration.ofSeconds(3), null)));

    assertThatThrownBy(() -> noRetry.putTraceSegments(b -> b.traceSegmentDocuments(DOC)))
        .isInstanceOfSatisfying(ThrottledException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(429);
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("PutTraceSegments: the store is flushing");
          assertThat(e.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("Retry-After")).hasValue("3");
        });
  }

  @Test
  void exporterRefusesForGood_documentsUnprocessed() throws Exception {
    start("""
        exporters: {refuse: }
        service: {pipelines: {traces: {exporters: [refuse]}}}
        """, new Refusing(() -> ConsumeException.permanent("the disk is read-only", null)));

    PutTraceSegmentsResponse r = xray.putTraceSegments(b -> b.traceSegmentDocuments(DOC, "not json"));
    assertThat(r.unprocessedTraceSegments()).extracting(UnprocessedTraceSegment::id,
        UnprocessedTraceSegment::errorCode, UnprocessedTraceSegment::message).containsExactlyInAnyOrder(
        org.assertj.core.groups.Tuple.tuple("d000000000000001", "InternalFailure", "the disk is read-only"),
        org.assertj.core.groups.Tuple.tuple("", "JSONFormatError",
            "segment document is not JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array,"
                + " Object or token 'null', 'true' or 'false')"));
  }

  @Test
  void noKansokuReceiver_serviceUnavailableNamesTheFix() throws Exception {
    start("""
        receivers: {push: }
        service: {pipelines: {traces: {receivers: [push]}, metrics: {receivers: [push]}, logs: {receivers: [push]}}}
        """);

    assertThatThrownBy(() -> noRetry.putTraceSegments(b -> b.traceSegmentDocuments(DOC)))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailableException");
          assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("PutTraceSegments: no kansoku receiver takes this"
              + " endpoint's writes, so segments have nowhere to go. Possible solutions: add the kansoku receiver to a"
              + " traces pipeline (receivers: {kansoku: } and service::pipelines::traces::receivers: [kansoku], with"
              + " the kansoku exporter to store the segments)");
        });
  }

  @Test
  void kansokuReceiverNotInTraces_serviceUnavailableNamesTheReceiver() throws Exception {
    start("""
        receivers: {push: }
        service: {pipelines: {traces: {receivers: [push]}}}
        """);

    assertThatThrownBy(() -> noRetry.putTraceSegments(b -> b.traceSegmentDocuments(DOC)))
        .isInstanceOfSatisfying(AwsServiceException.class, e -> {
          assertThat(e.statusCode()).isEqualTo(503);
          assertThat(e.awsErrorDetails().errorMessage()).startsWith(
              "PutTraceSegments: the kansoku receiver \"kansoku\" is in no traces pipeline, so segments have nowhere"
                  + " to go. Possible solutions: add the kansoku receiver to a traces pipeline");
        });
  }

  /** Length-prefixed protobuf records, as the file exporter writes them with {@code format: proto}. */
  private static List<ExportTraceServiceRequest> readProtoFile(Path file) throws Exception {
    List<ExportTraceServiceRequest> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
      while (true) {
        int n;
        try {
          n = data.readInt();
        } catch (EOFException end) {
          return out;
        }
        out.add(ExportTraceServiceRequest.parseFrom(data.readNBytes(n)));
      }
    }
  }

  /** {@code refuse}: an exporter that refuses every batch with the exception it is given. */
  private static final class Refusing implements ExporterFactory<TestComponents.NoConfig> {
    private final Supplier<ConsumeException> refusal;

    Refusing(Supplier<ConsumeException> refusal) {
      this.refusal = refusal;
    }

    @Override
    public String type() {
      return "refuse";
    }

    @Override
    public Stability stability() {
      return Stability.DEVELOPMENT;
    }

    @Override
    public TestComponents.NoConfig createDefaultConfig() {
      return new TestComponents.NoConfig();
    }

    @Override
    public Set<Signal<?>> signals() {
      return Set.copyOf(Signal.ALL);
    }

    @Override
    public Exporter create(TestComponents.NoConfig config, ComponentContext context) {
      return new Exporter() {
        @Override
        public <T> DataConsumer<T> consumer(Signal<T> signal) {
          return data -> {
            throw refusal.get();
          };
        }
      };
    }
  }
}
