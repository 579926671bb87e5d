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
import com.sun.net.httpserver.HttpServer;
import dev.kansoku.aws.sigv4.SigV4Verifier;
import dev.kansoku.pipeline.Consumers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The sampling proxy without a kansoku extension: the X-Ray SDK for Java's own unsigned sampling
 * client posts to the proxy's TCP port, and the proxy forwards to an X-Ray stand-in, which checks
 * the SigV4 signature from the specification and answers; the answer must reach the SDK unchanged.
 */
class SamplingProxyForwardTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** What the stand-in saw: path, verified signer (or the refusal) and body. */
  record Seen(String path, String signer, String body) {}

  private final List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
  private HttpServer xray;
  private AwsXrayReceiver receiver;

  @BeforeEach
  void start() throws Exception {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", SECRET);
    xray = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    xray.createContext("/", ex -> {
      byte[] body = ex.getRequestBody().readAllBytes();
      Map<String, String> headers = new TreeMap<>();
      ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
      String signer;
      try {
        signer = SigV4Verifier.verify("POST", ex.getRequestURI().getPath(), null, headers, body,
            id -> id.equals("AKIDEXAMPLE") ? SECRET : null).toString();
      } catch (SigV4Verifier.Rejected e) {
        signer = "rejected: " + e.getMessage();
      }
      seen.add(new Seen(ex.getRequestURI().getPath(), signer, new String(body, StandardCharsets.UTF_8)));
      // X-Ray's answers, shaped as the service model says (epoch-second numbers for times).
      String answer = ex.getRequestURI().getPath().equals("/GetSamplingRules")
          ? "{\"SamplingRuleRecords\":[{\"SamplingRule\":{\"RuleName\":\"dice\",\"RuleARN\":"
              + "\"arn:aws:xray:us-west-2:123456789012:sampling-rule/dice\",\"ResourceARN\":\"*\",\"Priority\":1,"
              + "\"FixedRate\":0.5,\"ReservoirSize\":7,\"ServiceName\":\"dice-server\",\"ServiceType\":\"*\","
              + "\"Host\":\"*\",\"HTTPMethod\":\"GET\",\"URLPath\":\"/rolldice\",\"Version\":1,\"Attributes\":{}},"
              + "\"CreatedAt\":1.7e9,\"ModifiedAt\":1.7e9}]}"
          : "{\"SamplingTargetDocuments\":[{\"RuleName\":\"dice\",\"FixedRate\":0.25,\"ReservoirQuota\":3,"
              + "\"ReservoirQuotaTTL\":1.8e9,\"Interval\":10}],\"LastRuleModification\":1.7e9,"
              + "\"UnprocessedStatistics\":[]}";
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, out.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(out);
      }
    });
    xray.start();

    AwsXrayReceiverConfig config = new AwsXrayReceiverConfig();
    config.endpoint = "127.0.0.1:0";
    config.setProxyServer(null);
    config.proxyServer.endpoint = "127.0.0.1:0";
    config.proxyServer.awsEndpoint = "http://127.0.0.1:" + xray.getAddress().getPort();
    config.proxyServer.region = "us-west-2";
    config.validate();
    receiver = new AwsXrayReceiver("awsxray", config, new Consumers(Map.of()), name -> null);
    receiver.start(null);
    System.setProperty("com.amazonaws.xray.emitters.daemonAddress", "127.0.0.1:" + receiver.proxyPort());
  }

  @AfterEach
  void stop() {
    receiver.shutdown();
    xray.stop(0);
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

    assertThat(seen).extracting(Seen::path).containsExactly("/GetSamplingRules", "/SamplingTargets");
    assertThat(seen).extracting(Seen::signer)
        .containsOnly(new SigV4Verifier.Signer("AKIDEXAMPLE", "us-west-2", "xray").toString());
    // the SDK's body went through unchanged
    assertThat(JSON.readTree(seen.get(1).body()).path("SamplingStatisticsDocuments").get(0).path("RuleName").asText())
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
    assertThat(seen).isEmpty();
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
    AwsXrayReceiverConfig.ProxyServer c = new AwsXrayReceiverConfig.ProxyServer();
    assertThat(SignedForwarder.endpoint(c, name -> null, "eu-west-1"))
        .isEqualTo(URI.create("https://xray.eu-west-1.amazonaws.com"));
    assertThat(SignedForwarder.endpoint(c, Map.of("AWS_ENDPOINT_URL", "http://localhost:4600/")::get, "eu-west-1"))
        .isEqualTo(URI.create("http://localhost:4600"));
    c.awsEndpoint = "https://xray.example";
    assertThat(SignedForwarder.endpoint(c, Map.of("AWS_ENDPOINT_URL_XRAY", "http://x:1")::get, "eu-west-1"))
        .isEqualTo(URI.create("https://xray.example"));
  }
}
