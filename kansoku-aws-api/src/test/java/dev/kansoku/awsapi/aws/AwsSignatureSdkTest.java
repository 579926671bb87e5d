package dev.kansoku.awsapi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * extensions::kansoku::aws_auth: only signatures made with the configured key pair get in, on all
 * three services and all five protocols, and refusals come back as each client reports AWS's own.
 */
class AwsSignatureSdkTest {
  private static final String KEY = "AKIDKANSOKU";
  private static final String SECRET = "kansoku/secret+KEY";
  private static Service service;
  private static int port;
  private static final List<AutoCloseable> clients = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    TestComponents components = new TestComponents();
    var registry = TestKansoku.registry(components);
    String yaml = """
        extensions:
          kansoku:
            endpoint: "127.0.0.1:%d"
            storage: {type: memory}
            aws_auth: {access_key_id: %s, secret_access_key: "%s"}
        """.formatted(port, KEY, SECRET) + TestKansoku.PIPELINES;
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null)),
        registry);
    service.start();
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    service.shutdown();
  }

  private static <T extends AutoCloseable> T track(T client) {
    clients.add(client);
    return client;
  }

  private static StaticCredentialsProvider creds(String key, String secret) {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(key, secret));
  }

  private static XRayClient xray(String key, String secret) {
    return track(XRayClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_WEST_2).credentialsProvider(creds(key, secret)).httpClient(ApacheHttpClient.create())
        .build());
  }

  private static CloudWatchLogsClient logs(String key, String secret) {
    return track(CloudWatchLogsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_WEST_2).credentialsProvider(creds(key, secret)).httpClient(ApacheHttpClient.create())
        .build());
  }

  private static CloudWatchClient cloudwatch(String key, String secret) {
    return track(CloudWatchClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_WEST_2).credentialsProvider(creds(key, secret)).httpClient(ApacheHttpClient.create())
        .build());
  }

  private static void refused(Runnable call, int status, String code) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(AwsServiceException.class, e -> {
      assertThat(e.statusCode()).isEqualTo(status);
      assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
    });
  }

  @Test
  void xrayRestJson() {
    XRayClient good = xray(KEY, SECRET);
    assertThat(good.getSamplingRules(b -> { }).samplingRuleRecords()).isNotEmpty();
    refused(() -> xray("AKIDOTHER", SECRET).getSamplingRules(b -> { }), 403, "UnrecognizedClientException");
    refused(() -> xray(KEY, "wrong").getSamplingRules(b -> { }), 403, "InvalidSignatureException");
    String id = "1-" + Long.toHexString(Instant.now().getEpochSecond()) + "-00000000000000000000d001";
    String doc = "{\"trace_id\":\"" + id + "\",\"id\":\"d000000000000001\",\"name\":\"signed\",\"start_time\":"
        + (Instant.now().getEpochSecond() - 5) + ",\"end_time\":" + (Instant.now().getEpochSecond() - 4) + "}";
    refused(() -> xray(KEY, "wrong").putTraceSegments(b -> b.traceSegmentDocuments(doc)), 403,
        "InvalidSignatureException");
    assertThat(good.batchGetTraces(b -> b.traceIds(id)).traces()).isEmpty(); // the refused put stored nothing
    assertThat(good.putTraceSegments(b -> b.traceSegmentDocuments(doc)).unprocessedTraceSegments()).isEmpty();
    assertThat(good.batchGetTraces(b -> b.traceIds(id)).traces()).hasSize(1);
  }

  @Test
  void logsAwsJson11() {
    refused(() -> logs("AKIDOTHER", SECRET).createLogGroup(b -> b.logGroupName("signed")), 400,
        "UnrecognizedClientException");
    refused(() -> logs(KEY, "wrong").createLogGroup(b -> b.logGroupName("signed")), 400, "InvalidSignatureException");
    CloudWatchLogsClient good = logs(KEY, SECRET);
    assertThat(good.describeLogGroups(b -> b.logGroupNamePrefix("signed")).logGroups()).isEmpty();
    good.createLogGroup(b -> b.logGroupName("signed"));
    assertThat(good.describeLogGroups(b -> b.logGroupNamePrefix("signed")).logGroups()).hasSize(1);
  }

  @Test
  void cloudwatchCbor_includingGzipBodies() {
    refused(() -> cloudwatch("AKIDOTHER", SECRET).listMetrics(b -> { }), 403, "InvalidClientTokenId");
    refused(() -> cloudwatch(KEY, "wrong").listMetrics(b -> { }), 403, "SignatureDoesNotMatch");
    CloudWatchClient good = cloudwatch(KEY, SECRET);
    // 200 datums pass the SDK's 10 KiB compression threshold: the signature covers the gzip bytes.
    List<MetricDatum> data = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      data.add(MetricDatum.builder().metricName("signed.bulk").value((double) i)
          .dimensions(d -> d.name("Shard").value("s")).build());
    }
    good.putMetricData(b -> b.namespace("signed").metricData(data));
    assertThat(good.listMetrics(b -> b.namespace("signed")).metrics()).hasSize(1);
  }

  /** A request signed by the SDK's own signer, sent by the SDK's HTTP client; status and body back. */
  private static String[] send(String path, Map<String, String> headers, String body, String key, String secret,
      String service, Clock clock) throws IOException {
    SdkHttpRequest.Builder req = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
        .uri(URI.create("http://127.0.0.1:" + port + path));
    headers.forEach(req::putHeader);
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    var signed = AwsV4HttpSigner.create().sign(r -> r.identity(AwsBasicCredentials.create(key, secret))
        .request(req.build()).payload(ContentStreamProvider.fromByteArray(bytes))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-west-2")
        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, clock));
    try (SdkHttpClient http = ApacheHttpClient.create()) {
      HttpExecuteResponse r = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
          .contentStreamProvider(ContentStreamProvider.fromByteArray(bytes)).build()).call();
      String text;
      try (InputStream in = r.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      return new String[] {Integer.toString(r.httpResponse().statusCode()), text,
          r.httpResponse().firstMatchingHeader("x-amzn-query-error").orElse("")};
    }
  }

  @Test
  void cloudwatchAwsQueryAndJson10() throws Exception {
    Map<String, String> form = Map.of("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    String list = "Action=ListMetrics&Version=2010-08-01";
    Clock now = Clock.systemUTC();
    assertThat(send("/", form, list, KEY, SECRET, "monitoring", now)[0]).isEqualTo("200");
    String[] badKey = send("/", form, list, "AKIDOTHER", SECRET, "monitoring", now);
    assertThat(badKey[0]).isEqualTo("403");
    assertThat(badKey[1]).contains("<Code>InvalidClientTokenId</Code>").contains("<Type>Sender</Type>");
    assertThat(send("/", form, list, KEY, "wrong", "monitoring", now)[1]).contains("<Code>SignatureDoesNotMatch</Code>");

    Map<String, String> json = Map.of("Content-Type", "application/x-amz-json-1.0",
        "X-Amz-Target", "GraniteServiceVersion20100801.ListMetrics", "x-amzn-query-mode", "true");
    assertThat(send("/", json, "{}", KEY, SECRET, "monitoring", now)[0]).isEqualTo("200");
    String[] bad = send("/", json, "{}", KEY, "wrong", "monitoring", now);
    assertThat(bad[0]).isEqualTo("403");
    assertThat(bad[1]).contains("\"__type\":\"InvalidSignatureException\"");
    assertThat(bad[2]).isEqualTo("SignatureDoesNotMatch;Sender");
  }

  @Test
  void staleSignatures_wrongScope_andUnsignedRequests() throws Exception {
    Map<String, String> json = Map.of("Content-Type", "application/x-amz-json-1.1",
        "X-Amz-Target", "Logs_20140328.DescribeLogGroups");
    Clock twentyMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-20));
    String[] stale = send("/", json, "{}", KEY, SECRET, "logs", twentyMinutesAgo);
    assertThat(stale[0]).isEqualTo("400");
    assertThat(stale[1]).contains("InvalidSignatureException").contains("Signature expired");
    Clock fiveMinutesAgo = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-5));
    assertThat(send("/", json, "{}", KEY, SECRET, "logs", fiveMinutesAgo)[0]).isEqualTo("200");
    String[] scope = send("/", json, "{}", KEY, SECRET, "xray", Clock.system(ZoneOffset.UTC));
    assertThat(scope[1]).contains("Credential should be scoped to correct service: 'logs'");

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> unsigned = http.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/TraceSummaries")).POST(HttpRequest.BodyPublishers.ofString("{}"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(unsigned.statusCode()).isEqualTo(403);
    assertThat(unsigned.headers().firstValue("x-amzn-errortype")).hasValue("MissingAuthenticationTokenException");
    // The native query API is not an AWS endpoint: aws_auth does not apply to it.
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
        + "/api/services")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(200);
  }
}
