package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kansoku with a 160 MiB heap, whose exporter cannot reach its backend, is flooded over gRPC. The
 * memory_limiter must refuse (RESOURCE_EXHAUSTED) instead of the JVM running out of memory, and
 * accept data again once the flood stops and the dead backend's batches are given up.
 */
class MemoryLimiterFloodTest {
  @TempDir Path dir;

  @Test
  void flood_isRefused_noOutOfMemory_andRecovers() throws Exception {
    int grpcPort = SeedPipelineTest.freePort();
    int deadPort = SeedPipelineTest.freePort();
    try (ChildKansoku child = ChildKansoku.start(dir, List.of("-Xmx160m", "-XX:+ExitOnOutOfMemoryError"),
        Map.of("GRPC_PORT", String.valueOf(grpcPort), "DEAD_PORT", String.valueOf(deadPort)),
        "--config", "src/test/resources/config/flood.yaml")) {
      Process kansoku = child.process;
      TraceServiceGrpc.TraceServiceBlockingStub stub = GrpcClients.builder("http://127.0.0.1:" + grpcPort)
          .maxRequestMessageLength(-1).maxResponseLength(0).responseTimeoutMillis(30_000)
          .build(TraceServiceGrpc.TraceServiceBlockingStub.class);
      child.awaitStarted();

      Map<Status.Code, LongAdder> outcomes = new ConcurrentHashMap<>();
      AtomicLong acceptedSpans = new AtomicLong();
      List<ExportTraceServiceRequest> pool = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        pool.add(request(2000));
      }
      // Flood until the limiter has refused for a while; how long that takes depends on the machine's speed.
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService senders = Executors.newFixedThreadPool(6);
      for (int t = 0; t < 6; t++) {
        senders.submit(() -> {
          int i = 0;
          while (!stop.get() && kansoku.isAlive()) {
            Status.Code code = send(stub, pool.get(i++ % pool.size()));
            outcomes.computeIfAbsent(code, c -> new LongAdder()).increment();
            if (code == Status.Code.OK) {
              acceptedSpans.addAndGet(2000);
            }
          }
          return null;
        });
      }
      long start = System.nanoTime();
      while (kansoku.isAlive()) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
        if (seconds >= 120 || seconds >= 8 && count(outcomes, Status.Code.RESOURCE_EXHAUSTED) >= 20) {
          break;
        }
        Thread.sleep(200);
      }
      stop.set(true);
      senders.shutdown();
      assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
      String output = child.output();
      assertThat(kansoku.isAlive()).as("Kansoku died during the flood:\n%s", output).isTrue();
      assertThat(output).doesNotContain("OutOfMemoryError");
      assertThat(count(outcomes, Status.Code.OK)).as("accepted during the flood %s", outcomes).isPositive();
      assertThat(count(outcomes, Status.Code.RESOURCE_EXHAUSTED)).as("refused during the flood %s", outcomes)
          .isPositive();
      assertThat(outcomes.keySet()).as("only OK and RESOURCE_EXHAUSTED: %s", outcomes)
          .containsOnly(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED);
      System.out.printf("flood: %s, %d spans accepted%n", outcomes, acceptedSpans.get());

      long recoverBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      Status.Code last = Status.Code.UNKNOWN;
      while (System.nanoTime() < recoverBy && (last = send(stub, request(10))) != Status.Code.OK) {
        Thread.sleep(250);
      }
      assertThat(last).as("accepting again after the flood").isEqualTo(Status.Code.OK);
      assertThat(child.output()).contains("accepting data again");
    }
  }

  private static long count(Map<Status.Code, LongAdder> outcomes, Status.Code code) {
    LongAdder a = outcomes.get(code);
    return a == null ? 0 : a.sum();
  }

  private static Status.Code send(TraceServiceGrpc.TraceServiceBlockingStub stub, ExportTraceServiceRequest req) {
    try {
      stub.export(req);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  /** Dice-like spans with a few hundred bytes of attributes each; random ids; started a second ago. */
  static ExportTraceServiceRequest request(int spans) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long start = (System.currentTimeMillis() - 1000) * 1_000_000L;
    ScopeSpans.Builder ss = ScopeSpans.newBuilder();
    for (int i = 0; i < spans; i++) {
      byte[] trace = new byte[16];
      byte[] span = new byte[8];
      r.nextBytes(trace);
      r.nextBytes(span);
      ss.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span))
          .setName("GET /rolldice").setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(start).setEndTimeUnixNano(start + 1_000_000L)
          .addAttributes(kv("http.request.method", "GET")).addAttributes(kv("url.path", "/rolldice"))
          .addAttributes(kv("user_agent.original", "curl/8.5.0 " + r.nextLong()))
          .addAttributes(kv("server.address", "dice-server.internal.example.com")));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(io.opentelemetry.proto.resource.v1.Resource.newBuilder().addAttributes(
            kv("service.name", "dice-server"))).addScopeSpans(ss)).build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }
}
