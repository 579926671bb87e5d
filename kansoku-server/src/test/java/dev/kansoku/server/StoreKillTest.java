package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 while senders are being acknowledged: after a restart every acknowledged trace is in the
 * embedded store. (The pipeline has no batch processor before the store, so an acknowledgement
 * means the write-ahead log was synced.)
 */
class StoreKillTest {
  @TempDir Path dir;

  @Test
  void acknowledgedTraces_surviveKill9() throws Exception {
    Path data = dir.resolve("data");
    int grpcPort = SeedPipelineTest.freePort();
    int apiPort = SeedPipelineTest.freePort();
    Map<String, String> env = Map.of("GRPC_PORT", String.valueOf(grpcPort), "API_PORT", String.valueOf(apiPort),
        "DATA_DIR", data.toString());
    List<String> acknowledged = new ArrayList<>();
    try (ChildKansoku child = ChildKansoku.start(dir, List.of("-Xmx256m"), env, "--config",
        "src/test/resources/config/store-durable.yaml")) {
      child.awaitStarted();
      var stub = GrpcClients.newClient("http://127.0.0.1:" + grpcPort, TraceServiceGrpc.TraceServiceBlockingStub.class);
      for (int i = 0; i < 40; i++) {
        ExportTraceServiceRequest req = MemoryLimiterFloodTest.request(50);
        stub.export(req);
        req.getResourceSpans(0).getScopeSpans(0).getSpansList()
            .forEach(s -> acknowledged.add(HexFormat.of().formatHex(s.getTraceId().toByteArray())));
      }
      child.process.destroyForcibly();
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process.exitValue()).isEqualTo(137);
    }
    try (ChildKansoku again = ChildKansoku.start(dir.resolve("restart"), List.of("-Xmx256m"), env, "--config",
        "src/test/resources/config/store-durable.yaml")) {
      again.awaitStarted();
      var api = WebClient.of("http://127.0.0.1:" + apiPort).blocking();
      ObjectMapper json = new ObjectMapper();
      int found = 0;
      for (String id : acknowledged) {
        var r = api.get("/api/traces/" + id);
        if (r.status().code() == 200 && json.readTree(r.contentUtf8()).get("spans").size() == 1) {
          found++;
        }
      }
      assertThat(found).as("acknowledged traces found after kill -9").isEqualTo(acknowledged.size());
      assertThat(acknowledged).hasSize(2000);
    }
  }
}
