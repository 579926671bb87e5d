package dev.kansoku.awsapi.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.xray.model.GetSamplingRulesRequest;
import com.amazonaws.services.xray.model.GetSamplingTargetsRequest;
import com.amazonaws.services.xray.model.GetSamplingTargetsResult;
import com.amazonaws.services.xray.model.SamplingRule;
import com.amazonaws.services.xray.model.SamplingStatisticsDocument;
import com.amazonaws.xray.internal.UnsignedXrayClient;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.aws.xrayreceiver.AwsProxyExtensionFactory;
import dev.kansoku.aws.xrayreceiver.AwsXrayReceiverFactory;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The awsxray receiver's sampling port (the X-Ray daemon's TCP :2000) in a service that runs the
 * kansoku extension, polled by the X-Ray SDK for Java's own unsigned sampling client: answered from
 * Kansoku's rules, or, with aws_endpoint, signed and forwarded to an endpoint that checks signatures.
 */
class SamplingPortTest {
  private Service service;

  private int start(String receiverExtra, String extensionExtra) throws Exception {
    int api = XrayApiSdkTest.freePort();
    int tcp = XrayApiSdkTest.freePort();
    var registry = TestKansoku.registry(new TestComponents(), new AwsXrayReceiverFactory(),
        new AwsProxyExtensionFactory());
    String yaml = """
        extensions:
          kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}%s}
        receivers:
          awsxray:
            endpoint: 127.0.0.1:%d
            proxy_server: {endpoint: "127.0.0.1:%d"%s}
        service: {pipelines: {traces: {receivers: [kansoku, awsxray]}}}
        """.formatted(api, extensionExtra, XrayApiSdkTest.freePort(), tcp,
        receiverExtra.replace("API_PORT", Integer.toString(api)));
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(
        List.of("yaml:" + TestKansoku.PIPELINES, "yaml:" + yaml), n -> null)), registry);
    service.start();
    System.setProperty("com.amazonaws.xray.emitters.daemonAddress", "127.0.0.1:" + tcp);
    return tcp;
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.shutdown();
    }
    System.clearProperty("com.amazonaws.xray.emitters.daemonAddress");
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static void pollsAsTheSdkDoes() {
    UnsignedXrayClient client = new UnsignedXrayClient();
    List<SamplingRule> rules = client.getSamplingRules(new GetSamplingRulesRequest()).getSamplingRuleRecords()
        .stream().map(r -> r.getSamplingRule()).toList();
    assertThat(rules).singleElement().satisfies(r -> {
      assertThat(r.getRuleName()).isEqualTo("Default");
      assertThat(r.getReservoirSize()).isEqualTo(1);
      assertThat(r.getFixedRate()).isEqualTo(0.05);
    });
    GetSamplingTargetsResult targets = client.getSamplingTargets(new GetSamplingTargetsRequest()
        .withSamplingStatisticsDocuments(new SamplingStatisticsDocument().withRuleName("Default")
            .withClientID("0123456789abcdef01234567").withTimestamp(new Date()).withRequestCount(12)
            .withSampledCount(3).withBorrowCount(1)));
    assertThat(targets.getSamplingTargetDocuments()).singleElement().satisfies(d -> {
      assertThat(d.getRuleName()).isEqualTo("Default");
      assertThat(d.getReservoirQuota()).isEqualTo(1);
      assertThat(d.getReservoirQuotaTTL()).isAfter(new Date());
    });
  }

  @Test
  void withTheKansokuExtension_answersFromItsRules() throws Exception {
    int tcp = start("", "");
    pollsAsTheSdkDoes();
    // A bad request gets X-Ray's error, not a proxy failure.
    HttpResponse<String> bad = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + tcp + "/SamplingTargets")).POST(HttpRequest.BodyPublishers.ofString("{"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("x-amzn-errortype")).hasValue("InvalidRequestException");
  }

  @Test
  void withAwsEndpoint_forwardsSignedWithTheDefaultCredentials() throws Exception {
    System.setProperty("aws.accessKeyId", "AKIDSAMPLER");
    System.setProperty("aws.secretAccessKey", "sampler-secret");
    start(", aws_endpoint: \"http://127.0.0.1:API_PORT\", region: us-west-2",
        ", aws_auth: {access_key_id: AKIDSAMPLER, secret_access_key: sampler-secret}");
    pollsAsTheSdkDoes(); // the endpoint checks signatures: these answers prove the forward was signed right

    System.setProperty("aws.secretAccessKey", "not-the-secret");
    assertThatThrownBy(() -> new UnsignedXrayClient().getSamplingRules(new GetSamplingRulesRequest()))
        .hasMessageContaining("does not match the signature you provided");
  }

  @Test
  void theAwsproxyExtension_answersFromKansokusRulesToo() throws Exception {
    int api = XrayApiSdkTest.freePort();
    int tcp = XrayApiSdkTest.freePort();
    var registry = TestKansoku.registry(new TestComponents(), new AwsProxyExtensionFactory());
    // awsproxy listed before kansoku: the extension is found through the host all the same
    String yaml = """
        extensions:
          awsproxy: {endpoint: "127.0.0.1:%d"}
          kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}
        service: {extensions: [awsproxy, kansoku], pipelines: {traces: {receivers: [kansoku]}}}
        """.formatted(tcp, api);
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(
        List.of("yaml:" + TestKansoku.PIPELINES, "yaml:" + yaml), n -> null)), registry);
    service.start();
    System.setProperty("com.amazonaws.xray.emitters.daemonAddress", "127.0.0.1:" + tcp);
    pollsAsTheSdkDoes();
  }
}
