package dev.kansoku.awsapi.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.awsapi.aws.Resigner.Change;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.xray.XRayClient;

/**
 * extensions::kansoku::aws_auth checks signatures as strictly as AWS: every protocol of the three
 * services, each signed as its client signs it (accepted) and then as AWS refuses it, with the HTTP
 * status and error code the client reports. X-Ray, Logs and CloudWatch's CBOR are driven by the real
 * AWS SDK for Java v2 clients, whose requests {@link Resigner} re-signs on the way out;
 * CloudWatch's awsQuery and awsJson1_0 (the AWS CLI's protocols) are requests signed as the CLI
 * signs them (content-type, host, x-amz-date and, for JSON, x-amz-target and x-amzn-query-mode).
 */
class SigV4MatrixTest {
  private static final String KEY = "AKIDKANSOKU";
  private static final String SECRET = "kansoku/matrix+KEY";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static Service service;
  private static int port;

  /** The five wire protocols, with the statuses AWS gives their signature refusals. */
  enum Api {
    XRAY_REST_JSON(403, 403),
    LOGS_JSON_1_1(400, 400),
    CLOUDWATCH_CBOR(403, 400),
    CLOUDWATCH_JSON_1_0(403, 400),
    CLOUDWATCH_QUERY(403, 400);

    final int refused;
    final int incomplete;

    Api(int refused, int incomplete) {
      this.refused = refused;
      this.incomplete = incomplete;
    }

    boolean sendsTarget() {
      return this == LOGS_JSON_1_1 || this == CLOUDWATCH_JSON_1_0;
    }

    /** CloudWatch is awsQueryCompatible: its clients report the query code on every protocol. */
    boolean queryCodes() {
      return name().startsWith("CLOUDWATCH");
    }
  }

  /** What the client reports: the status, the error code (null when accepted) and the message. */
  record Outcome(int status, String code, String message) {}

  /** A refusal: JSON code, query code, whether it is an incomplete signature, and the message's start. */
  record Refusal(String jsonCode, String queryCode, boolean incomplete, String message) {}

  private static final String MISMATCH = "InvalidSignatureException";

  static Refusal expected(Change change) {
    return switch (change) {
      case AS_SIGNED, RESIGNED -> null;
      case HOST_UNSIGNED -> new Refusal(MISMATCH, "SignatureDoesNotMatch", false,
          "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
      case TARGET_UNSIGNED -> new Refusal(MISMATCH, "SignatureDoesNotMatch", false,
          "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
      case UNSIGNED_PAYLOAD -> new Refusal(MISMATCH, "SignatureDoesNotMatch", false,
          "x-amz-content-sha256 'UNSIGNED-PAYLOAD' is for Amazon S3 only");
      case CONTENT_SHA256_MISMATCH -> new Refusal(MISMATCH, "SignatureDoesNotMatch", false,
          "The provided 'x-amz-content-sha256' header does not match what was computed.");
      case SIGNED_HEADER_MISSING -> new Refusal("IncompleteSignatureException", "IncompleteSignature", true,
          "'x-kansoku-probe' is named as a SignedHeader, but it does not exist in the HTTP request.");
      case WRONG_SECRET -> new Refusal(MISMATCH, "SignatureDoesNotMatch", false,
          "The request signature we calculated does not match the signature you provided.");
      case UNKNOWN_KEY -> new Refusal("UnrecognizedClientException", "InvalidClientTokenId", false,
          "The security token included in the request is invalid");
      case STALE_DATE -> new Refusal(MISMATCH, "SignatureDoesNotMatch", false, "Signature expired: ");
    };
  }

  static Stream<Arguments> matrix() {
    List<Arguments> rows = new ArrayList<>();
    for (Api api : Api.values()) {
      for (Change change : Change.values()) {
        if (change != Change.TARGET_UNSIGNED || api.sendsTarget()) {
          rows.add(Arguments.of(api, change));
        }
      }
    }
    return rows.stream();
  }

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
  static void stop() {
    service.shutdown();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("matrix")
  void signature(Api api, Change change) throws Exception {
    Outcome outcome;
    try (Resigner http = new Resigner(ApacheHttpClient.create(), KEY, SECRET)) {
      http.change = change;
      outcome = call(api, http);
    }
    Refusal refusal = expected(change);
    if (refusal == null) {
      assertThat(outcome).isEqualTo(new Outcome(200, null, null));
      return;
    }
    assertThat(outcome.status()).isEqualTo(refusal.incomplete() ? api.incomplete : api.refused);
    assertThat(outcome.code()).isEqualTo(api.queryCodes() ? refusal.queryCode() : refusal.jsonCode());
    assertThat(outcome.message()).startsWith(refusal.message());
  }

  private static Outcome call(Api api, Resigner http) throws Exception {
    return switch (api) {
      case XRAY_REST_JSON -> sdk(() -> client(XRayClient.builder(), http).getSamplingRules(b -> { })
          .samplingRuleRecords().isEmpty());
      case LOGS_JSON_1_1 -> sdk(() -> client(CloudWatchLogsClient.builder(), http).describeLogGroups(b -> { })
          .logGroups() == null);
      case CLOUDWATCH_CBOR -> sdk(() -> client(CloudWatchClient.builder(), http).listMetrics(b -> { })
          .metrics() == null);
      case CLOUDWATCH_JSON_1_0 -> cli(http, new TreeMap<>(Map.of("content-type", "application/x-amz-json-1.0",
          "x-amz-target", "GraniteServiceVersion20100801.ListMetrics", "x-amzn-query-mode", "true")), "{}");
      case CLOUDWATCH_QUERY -> cli(http, new TreeMap<>(Map.of("content-type",
          "application/x-www-form-urlencoded; charset=utf-8")), "Action=ListMetrics&Version=2010-08-01");
    };
  }

  /** A real SDK client on this endpoint, without retries (each refusal is seen once). */
  private static <B extends software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
      & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>, C> C client(B builder,
      Resigner http) {
    return builder.endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_WEST_2)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY, SECRET)))
        .httpClient(http).overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())).build();
  }

  /** The call's outcome as the SDK reports it; {@code empty} says whether the answer had no content. */
  private static Outcome sdk(Supplier<Boolean> empty) {
    try {
      assertThat(empty.get()).as("the answer of an accepted call").isFalse();
      return new Outcome(200, null, null);
    } catch (AwsServiceException e) {
      return new Outcome(e.statusCode(), e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
    }
  }

  private static final Pattern XML_CODE = Pattern.compile("<Code>([^<]*)</Code><Message>([^<]*)</Message>");

  /**
   * CloudWatch's awsQuery / awsJson1_0 request signed as the AWS CLI signs it, then re-signed per the
   * change; the code is what the CLI reports (the XML Code, or x-amzn-query-error's first part, with
   * the body's __type checked to be the JSON shape name).
   */
  private static Outcome cli(Resigner http, TreeMap<String, String> headers, String body) throws Exception {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String amzDate = Resigner.AMZ_DATE.format(Instant.now());
    headers.put("x-amz-date", amzDate);
    Map<String, String> canonical = new TreeMap<>(headers);
    canonical.put("host", "127.0.0.1:" + port);
    SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
        .uri(URI.create("http://127.0.0.1:" + port + "/"));
    headers.forEach(request::putHeader);
    request.putHeader("Authorization", Resigner.authorization("POST", "/", canonical,
        new ArrayList<>(canonical.keySet()), Resigner.hex(Resigner.sha256(bytes)), KEY, SECRET, "us-west-2",
        "monitoring", amzDate));
    HttpExecuteResponse r = http.prepareRequest(HttpExecuteRequest.builder().request(request.build())
        .contentStreamProvider(ContentStreamProvider.fromByteArray(bytes)).build()).call();
    String text;
    try (InputStream in = r.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    int status = r.httpResponse().statusCode();
    if (status == 200) {
      assertThat(text).containsAnyOf("{\"Metrics\":[]}", "<ListMetricsResult>");
      return new Outcome(200, null, null);
    }
    if (headers.containsKey("x-amz-target")) {
      var error = JSON.readTree(text);
      String queryError = r.httpResponse().firstMatchingHeader("x-amzn-query-error").orElseThrow();
      assertThat(queryError).endsWith(";Sender");
      assertThat(error.path("__type").asText()).isEqualTo(expectedShape(queryError));
      return new Outcome(status, queryError.substring(0, queryError.indexOf(';')), error.path("message").asText());
    }
    Matcher m = XML_CODE.matcher(text);
    assertThat(m.find()).as(text).isTrue();
    return new Outcome(status, m.group(1), m.group(2).replace("&apos;", "'").replace("&quot;", "\"")
        .replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"));
  }

  /** The awsJson shape name that goes with a query code in AwsSignatureCheck's refusals. */
  private static String expectedShape(String queryError) {
    return switch (queryError.substring(0, queryError.indexOf(';'))) {
      case "SignatureDoesNotMatch" -> MISMATCH;
      case "IncompleteSignature" -> "IncompleteSignatureException";
      case "InvalidClientTokenId" -> "UnrecognizedClientException";
      default -> "MissingAuthenticationTokenException";
    };
  }
}
