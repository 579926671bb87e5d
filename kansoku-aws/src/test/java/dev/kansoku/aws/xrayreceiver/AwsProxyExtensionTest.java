package dev.kansoku.aws.xrayreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.xray.model.GetSamplingRulesRequest;
import com.amazonaws.services.xray.model.GetSamplingTargetsRequest;
import com.amazonaws.services.xray.model.SamplingStatisticsDocument;
import com.amazonaws.xray.internal.UnsignedXrayClient;
import com.linecorp.armeria.common.TlsKeyPair;
import dev.kansoku.aws.sigv4.SigV4Verifier;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.config.ServiceConfig;
import dev.kansoku.pipeline.testing.TestComponents;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The awsproxy extension in a service without a kansoku extension: the X-Ray SDK for Java's own
 * unsigned sampling client polls it, and it forwards signed to an X-Ray stand-in (over HTTP, and over
 * HTTPS trusting tls::ca_file). With the kansoku extension it answers locally: kansoku-aws-api's
 * SamplingPortTest.
 */
class AwsProxyExtensionTest {
  private final ComponentRegistry registry = new TestComponents().registry(new AwsProxyExtensionFactory());
  private Service service;

  @BeforeEach
  void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", XrayStandIn.SECRET);
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.shutdown();
    }
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("com.amazonaws.xray.emitters.daemonAddress");
  }

  private int start(String settings) throws Exception {
    int port = freePort();
    String yaml = """
        extensions:
          awsproxy: {endpoint: "127.0.0.1:%d", %s}
        receivers: {push: }
        exporters: {capture: }
        service: {extensions: [awsproxy], pipelines: {traces: {receivers: [push], exporters: [capture]}}}
        """.formatted(port, settings);
    service = Service.create(load(yaml), registry, name -> null);
    service.start();
    System.setProperty("com.amazonaws.xray.emitters.daemonAddress", "127.0.0.1:" + port);
    return port;
  }

  private ServiceConfig load(String yaml) throws ConfigException {
    return new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null));
  }

  private static void pollsAsTheSdkDoes() {
    UnsignedXrayClient client = new UnsignedXrayClient();
    assertThat(client.getSamplingRules(new GetSamplingRulesRequest()).getSamplingRuleRecords()).singleElement()
        .satisfies(r -> assertThat(r.getSamplingRule().getReservoirSize()).isEqualTo(7));
    assertThat(client.getSamplingTargets(new GetSamplingTargetsRequest().withSamplingStatisticsDocuments(
        new SamplingStatisticsDocument().withRuleName("dice").withClientID("0123456789abcdef01234567")
            .withTimestamp(new Date()).withRequestCount(5).withSampledCount(2).withBorrowCount(1)))
        .getSamplingTargetDocuments()).singleElement().satisfies(d -> assertThat(d.getReservoirQuota()).isEqualTo(3));
  }

  @Test
  void forwards_the_sdks_sampling_calls_signed_and_refuses_everything_else() throws Exception {
    try (XrayStandIn xray = XrayStandIn.http()) {
      int port = start("aws_endpoint: \"" + xray.url() + "\", region: us-west-2, local_mode: true");
      pollsAsTheSdkDoes();
      assertThat(xray.seen).extracting(XrayStandIn.Seen::path).containsExactly("/GetSamplingRules", "/SamplingTargets");
      assertThat(xray.seen).extracting(XrayStandIn.Seen::signer)
          .containsOnly(new SigV4Verifier.Signer("AKIDEXAMPLE", "us-west-2", "xray").toString());

      HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/TraceSegments")).POST(HttpRequest.BodyPublishers.ofString("{}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(put.statusCode()).isEqualTo(404);
      assertThat(put.headers().firstValue("x-amzn-ErrorType")).hasValue("NotFoundException");
      assertThat(xray.seen).hasSize(2);
    }
  }

  @Test
  void https_xray_is_trusted_through_ca_file(@TempDir Path dir) throws Exception {
    TlsKeyPair key = TlsKeyPair.ofSelfSigned("localhost");
    Path ca = dir.resolve("xray-ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
        .encodeToString(key.certificateChain().get(0).getEncoded()) + "\n-----END CERTIFICATE-----\n");
    try (XrayStandIn xray = XrayStandIn.https(key)) {
      start("aws_endpoint: \"" + xray.url() + "\", region: eu-west-1, service_name: xray, tls: {ca_file: \"" + ca
          + "\"}");
      pollsAsTheSdkDoes();
      assertThat(xray.seen).extracting(XrayStandIn.Seen::signer)
          .containsOnly(new SigV4Verifier.Signer("AKIDEXAMPLE", "eu-west-1", "xray").toString());
      service.shutdown();
      service = null;

      // without the CA the forward fails: the SDK gets X-Ray's 5xx shape and keeps its rules
      int port = start("aws_endpoint: \"" + xray.url() + "\", region: eu-west-1");
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/GetSamplingRules")).POST(HttpRequest.BodyPublishers.ofString("{}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(502);
      assertThat(r.headers().firstValue("x-amzn-ErrorType")).hasValue("ServiceUnavailableException");
    }
  }

  @Test
  void settings_are_the_collectors_and_errors_name_them() throws Exception {
    ProxyConfig defaults = new AwsProxyExtensionFactory().createDefaultConfig();
    assertThat(defaults.endpoint).isEqualTo("localhost:2000");
    assertThat(defaults.serviceName).isEqualTo("xray");
    assertThatThrownBy(() -> start("aws_endpoint: \"https://xray.us-west-2.amazonaws.com\""))
        .hasMessageContaining("cannot start extension \"awsproxy\"").hasMessageContaining("set region or AWS_REGION");
    // Without aws_endpoint a kansoku extension may still answer, so a missing region fails the calls, not the start.
    int port = start("local_mode: false");
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/GetSamplingRules")).POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(502);
    assertThat(r.body()).contains("no kansoku extension answers sampling here").contains("set region or AWS_REGION");
    service.shutdown();
    service = null;
    assertThatThrownBy(() -> start("aws_endpoint: xray.local"))
        .hasMessageContaining("extensions::awsproxy: aws_endpoint: \"xray.local\" (expected: http(s)://");
    assertThatThrownBy(() -> start("rgion: us-west-2"))
        .hasMessageContaining("extensions::awsproxy: unknown key \"rgion\", did you mean \"region\"?");
    assertThatThrownBy(() -> start("tls: {cert_file: c.pem}"))
        .hasMessageContaining("extensions::awsproxy: tls::cert_file, key_file: not offered");
    Path missing = Path.of("/no/such/ca.pem");
    assertThatThrownBy(() -> start("aws_endpoint: \"https://xray.example\", region: us-west-2, tls: {ca_file: \""
        + missing + "\"}"))
        .hasMessageContaining("tls::ca_file: cannot read /no/such/ca.pem");
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
