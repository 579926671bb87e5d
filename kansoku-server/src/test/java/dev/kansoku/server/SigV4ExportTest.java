package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.Server;
import dev.kansoku.aws.sigv4.SigV4Verifier;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** otlphttp with sigv4auth sends requests whose SigV4 signature verifies against the bytes received. */
class SigV4ExportTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", SECRET);
  }

  @AfterAll
  static void clear() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  @Test
  void signedExport_verifies() throws Exception {
    List<String> outcomes = new CopyOnWriteArrayList<>();
    List<String> spanNames = new CopyOnWriteArrayList<>();
    Server aws = Server.builder().http(0).service("/v1/traces", (ctx, req) -> HttpResponse.of(
        req.aggregate().thenApply(agg -> {
          Map<String, String> headers = new java.util.HashMap<>();
          agg.headers().forEach((k, v) -> headers.put(k.toString(), v));
          headers.put("host", agg.headers().authority());
          byte[] body = agg.content().array();
          try {
            SigV4Verifier.Signer signer = SigV4Verifier.verify("POST", "/v1/traces", null, headers, body,
                id -> id.equals("AKIDEXAMPLE") ? SECRET : null);
            outcomes.add(signer.service() + "@" + signer.region());
            ExportTraceServiceRequest req2 = ExportTraceServiceRequest.parseFrom(
                new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes());
            req2.getResourceSpansList().forEach(rs -> rs.getScopeSpansList().forEach(
                ss -> ss.getSpansList().forEach(s -> spanNames.add(s.getName()))));
            return HttpResponse.of(HttpStatus.OK);
          } catch (Exception e) {
            outcomes.add("rejected: " + e.getMessage());
            return HttpResponse.of(HttpStatus.FORBIDDEN);
          }
        }))).build();
    aws.start().join();
    int grpcPort = SeedPipelineTest.freePort();
    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/otlphttp-sigv4.yaml"),
        Map.of("GRPC_PORT", String.valueOf(grpcPort), "AWS_PORT", String.valueOf(aws.activeLocalPort()))::get)) {
      SdkTracerProvider p = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(
          OtlpGrpcSpanExporter.builder().setEndpoint("http://localhost:" + grpcPort).build())).build();
      p.get("t").spanBuilder("GET /rolldice").startSpan().end();
      assertThat(p.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
    } finally {
      aws.stop().join();
    }
    assertThat(outcomes).containsExactly("xray@us-west-2");
    assertThat(spanNames).containsExactly("GET /rolldice");
  }
}
