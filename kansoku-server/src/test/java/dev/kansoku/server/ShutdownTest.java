package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.grpc.GrpcClients;
import dev.kansoku.otlp.OtlpJson;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Data acknowledged to a sender is written out when Kansoku gets SIGTERM, not dropped. */
class ShutdownTest {
  @TempDir Path dir;

  @Test
  void sigterm_flushesAcceptedBatches() throws Exception {
    int grpcPort = SeedPipelineTest.freePort();
    try (ChildKansoku child = ChildKansoku.start(dir, List.of("-Xmx256m"),
        Map.of("GRPC_PORT", String.valueOf(grpcPort), "OUT_DIR", dir.toString()),
        "--config", "src/test/resources/config/shutdown-flush.yaml")) {
      child.awaitStarted();
      var stub = GrpcClients.newClient("http://127.0.0.1:" + grpcPort, TraceServiceGrpc.TraceServiceBlockingStub.class);
      for (int i = 0; i < 20; i++) {
        stub.export(MemoryLimiterFloodTest.request(100));
      }
      assertThat(Files.size(dir.resolve("traces.jsonl"))).as("nothing is written before the batch is sent").isZero();

      assertThat(child.terminate()).as(child.output()).isIn(0, 143);

      int spans = 0;
      for (String line : Files.readAllLines(dir.resolve("traces.jsonl"))) {
        ExportTraceServiceRequest req = OtlpJson.parse(Signal.TRACES, line.getBytes(StandardCharsets.UTF_8));
        spans += Signal.TRACES.count(req);
      }
      assertThat(spans).isEqualTo(2000);
      assertThat(child.output()).contains("Shutting down").contains("Stopped in");
    }
  }
}
