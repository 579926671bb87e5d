package dev.kansoku.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.TlsKeyPair;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The receiver serves TLS from PEM files named in tls.cert_file / tls.key_file. */
class OtlpReceiverTlsTest {
  @TempDir Path dir;

  @Test
  void tls_onBothProtocols() throws Exception {
    TlsKeyPair key = TlsKeyPair.ofSelfSigned("localhost");
    String certPem = pem("CERTIFICATE", key.certificateChain().get(0).getEncoded());
    Files.writeString(dir.resolve("server.crt"), certPem);
    Files.writeString(dir.resolve("server.key"), pem("PRIVATE KEY", key.privateKey().getEncoded()));
    String tls = "{cert_file: \"" + dir.resolve("server.crt") + "\", key_file: \"" + dir.resolve("server.key") + "\"}";
    try (ReceiverHarness h = new ReceiverHarness("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "localhost:${GRPC}", tls: %s}
              http: {endpoint: "localhost:${HTTP}", tls: %s}
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [otlp], exporters: [capture]}}}
        """.formatted(tls, tls))) {
      SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(
          OtlpGrpcSpanExporter.builder().setEndpoint("https://localhost:" + h.grpcPort)
              .setTrustedCertificates(certPem.getBytes(StandardCharsets.US_ASCII)).build())).build();
      provider.get("t").spanBuilder("over-tls").startSpan().end();
      assertThat(provider.shutdown().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();
      assertThat(h.capture().items(Signal.TRACES)).isEqualTo(1);

      try (ClientFactory trusting = ClientFactory.builder().tlsNoVerify().build()) {
        var r = WebClient.builder("https://localhost:" + h.httpPort).factory(trusting).build().blocking()
            .execute(HttpRequest.of(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
                .contentType(MediaType.parse("application/x-protobuf")).build(),
                HttpData.wrap(TestData.traces(1, 1, 2, 0).toByteArray())));
        assertThat(r.status().code()).isEqualTo(200);
      }
      assertThat(h.capture().items(Signal.TRACES)).isEqualTo(3);

      assertThatThrownBy(() -> WebClient.of("http://localhost:" + h.httpPort).blocking().get("/v1/traces"))
          .as("plain text is not served on a TLS listener").isInstanceOf(Exception.class);
    }
  }

  @Test
  void missingCertificateFile_failsStartNamingIt() {
    assertThatThrownBy(() -> new ReceiverHarness("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "localhost:${GRPC}", tls: {cert_file: /no/such.crt, key_file: /no/such.key}}
        exporters: {capture: }
        service: {pipelines: {traces: {receivers: [otlp], exporters: [capture]}}}
        """)).hasMessageContaining("cannot start receiver \"otlp\"").hasMessageContaining("/no/such.crt");
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }
}
