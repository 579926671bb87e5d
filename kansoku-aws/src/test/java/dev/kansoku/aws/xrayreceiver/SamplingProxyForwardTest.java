package dev.kansoku.aws.xrayreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.xray.model.GetSamplingRulesRequest;
import com.amazonaws.services.xray.model.GetSamplingRulesResult;
import com.amazonaws.services.xray.model.GetSamplingTargetsRequest;
import com.amazonaws.services.xray.model.GetSamplingTargetsResult;
import com.amazonaws.services.xray.model.SamplingStatisticsDocument;
import com.amazonaws.xray.internal.UnsignedXrayClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.aws.sigv4.SigV4Verifier;
import dev.kansoku.pipeline.Consumers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sampling proxy without a kansoku extension: the X-Ray SDK for Java's own unsigned sampling
 * client posts to the proxy's TCP port, and the proxy forwards to an X-Ray stand-in, which checks
 * the SigV4 signature from the specification and answers; the answer must reach the SDK unchanged.
 */
class SamplingProxyForwardTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private XrayStandIn xray;
  private AwsXrayReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", XrayStandIn.SECRET);
    xray = XrayStandIn.http();

    AwsXrayReceiverConfig config = new AwsXrayReceiverConfig();
    config.endpoint = "127.0.0.1:0";
    config.setProxyServer(null);
    config.proxyServer.endpoint = "127.0.0.1:0";
    config.proxyServer.awsEndpoint = xray.url();
    config.proxyServer.region = "us-west-2";
    config.validate();
    receiver = new AwsXrayReceiver("awsxray", config, new Consumers(Map.of()), name -> null);
    receiver.start(null);
    System.setProperty("com.amazonaws.xray.emitters.daemonAddress", "127.0.0.1:" + receiver.proxyPort());
  }

  @AfterEach
  void stop() {
    receiver.shutdown();
    xray.close();
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
    System.clearProperty("com.amazonaws.xray.emitters.daemonAddress");
  }

  @Test
  void xraySdkSampler_getsXraysAnswers_throughASignedForward() throws Exception {
    UnsignedXrayClient client = new UnsignedXrayClient();

    GetSamplingRulesResult rules = client.getSamplingRules(new GetSamplingRulesRequest());
    assertThat(rules.getSamplingRuleRecords()).singleElement().satisfies(r -> {
      assertThat(r.getSamplingRule().getRuleName()).isEqualTo("dice");
      assertThat(r.getSamplingRule().getReservoirSize()).isEqualTo(7);
      assertThat(r.getSamplingRule().getURLPath()).isEqualTo("/rolldice");
    });
    GetSamplingTargetsResult targets = client.getSamplingTargets(new GetSamplingTargetsRequest()
        .withSamplingStatisticsDocuments(new SamplingStatisticsDocument().withRuleName("dice")
            .withClientID("0123456789abcdef01234567").withTimestamp(new Date()).withRequestCount(5)
            .withSampledCount(2).withBorrowCount(1)));
    assertThat(targets.getSamplingTargetDocuments()).singleElement()
        .satisfies(d -> assertThat(d.getReservoirQuota()).isEqualTo(3));

    assertThat(xray.seen).extracting(XrayStandIn.Seen::path).containsExactly("/GetSamplingRules", "/SamplingTargets");
    assertThat(xray.seen).extracting(XrayStandIn.Seen::signer)
        .containsOnly(new SigV4Verifier.Signer("AKIDEXAMPLE", "us-west-2", "xray").toString());
    // the SDK's body went through unchanged
    assertThat(JSON.readTree(xray.seen.get(1).body()).path("SamplingStatisticsDocuments").get(0).path("RuleName").asText())
        .isEqualTo("dice");
  }

  @Test
  void otherPathsAndMethods_areRefusedWithoutForwarding() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + receiver.proxyPort();
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(base + "/TraceSegments"))
        .POST(HttpRequest.BodyPublishers.ofString("{\"TraceSegmentDocuments\":[]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(404);
    assertThat(put.body()).contains("only POST /GetSamplingRules and POST /SamplingTargets");
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(base + "/GetSamplingRules")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(xray.seen).isEmpty();
  }

  @Test
  void noRegion_failsAtStartWithTheKeyToSet() {
    AwsXrayReceiverConfig config = new AwsXrayReceiverConfig();
    config.endpoint = "127.0.0.1:0";
    config.setProxyServer(null);
    config.proxyServer.endpoint = "127.0.0.1:0";
    AwsXrayReceiver r = new AwsXrayReceiver("awsxray", config, new Consumers(Map.of()), name -> null);
    assertThatThrownBy(() -> r.start(null)).hasMessageContaining("set proxy_server::region or AWS_REGION");
    assertThat(r.port()).isEqualTo(-1);
  }

  @Test
  void endpoint_fromTheSdkVariables_elseXrayInTheRegion() {
    ProxyConfig c = new ProxyConfig();
    assertThat(SignedForwarder.endpoint(c, name -> null, "eu-west-1"))
        .isEqualTo(URI.create("https://xray.eu-west-1.amazonaws.com"));
    assertThat(SignedForwarder.endpoint(c, Map.of("AWS_ENDPOINT_URL", "http://localhost:4600/")::get, "eu-west-1"))
        .isEqualTo(URI.create("http://localhost:4600"));
    c.awsEndpoint = "https://xray.example";
    assertThat(SignedForwarder.endpoint(c, Map.of("AWS_ENDPOINT_URL_XRAY", "http://x:1")::get, "eu-west-1"))
        .isEqualTo(URI.create("https://xray.example"));
  }
}
