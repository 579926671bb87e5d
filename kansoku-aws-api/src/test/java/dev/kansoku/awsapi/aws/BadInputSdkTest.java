package dev.kansoku.awsapi.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.InvalidParameterValueException;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.MissingRequiredParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.xray.XRayClient;
import software.amazon.awssdk.services.xray.model.InvalidRequestException;

/**
 * Bad input on every protocol, sent by the AWS SDK for Java v2 itself (an interceptor corrupts the
 * body, target or path it built and signed): each answer must come out of the SDK as the exception
 * AWS's would, with the message naming the problem. Data stored before the barrage is all there
 * after it, and nothing of the bad requests is stored.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.MethodName.class)
class BadInputSdkTest {
  private static final long NOW = Instant.now().getEpochSecond();
  private static final String TRACE = "1-" + Long.toHexString(NOW) + "-00000000000000000000e001";

  /** Replaces, for the next call only, what the SDK sends. */
  static final class Tamper implements ExecutionInterceptor {
    volatile byte[] body;
    volatile String target;
    volatile String path;
    volatile String contentType;

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
      SdkHttpRequest.Builder b = context.httpRequest().toBuilder();
      if (target != null) {
        b.putHeader("X-Amz-Target", target);
      }
      if (path != null) {
        b.encodedPath(path);
      }
      if (contentType != null) {
        b.putHeader("Content-Type", contentType);
      }
      if (body != null) {
        b.putHeader("Content-Length", Integer.toString(body.length));
      }
      return b.build();
    }

    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context,
        ExecutionAttributes attributes) {
      return body != null ? Optional.of(RequestBody.fromBytes(body)) : context.requestBody();
    }

    void reset() {
      body = null;
      target = null;
      path = null;
      contentType = null;
    }
  }

  private final Tamper tamper = new Tamper();
  private String endpoint;
  private Service service;
  private XRayClient xray;
  private CloudWatchLogsClient logs;
  private CloudWatchClient cloudwatch;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeAll
  void start() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var registry = TestKansoku.registry(new TestComponents());
    String yaml = """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        """.formatted(port) + TestKansoku.PIPELINES;
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml), n -> null)),
        registry);
    service.start();
    URI uri = URI.create("http://127.0.0.1:" + port);
    endpoint = uri.toString();
    var creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"));
    xray = XRayClient.builder().endpointOverride(uri).region(Region.US_WEST_2).credentialsProvider(creds)
        .httpClient(ApacheHttpClient.create()).overrideConfiguration(c -> c.addExecutionInterceptor(tamper)).build();
    logs = CloudWatchLogsClient.builder().endpointOverride(uri).region(Region.US_WEST_2).credentialsProvider(creds)
        .httpClient(ApacheHttpClient.create()).overrideConfiguration(c -> c.addExecutionInterceptor(tamper)).build();
    cloudwatch = CloudWatchClient.builder().endpointOverride(uri).region(Region.US_WEST_2).credentialsProvider(creds)
        .httpClient(ApacheHttpClient.create()).overrideConfiguration(c -> c.addExecutionInterceptor(tamper)).build();
    closing.addAll(List.of(xray, logs, cloudwatch));

    // What must survive: a trace, two log events, a metric.
    assertThat(xray.putTraceSegments(b -> b.traceSegmentDocuments(segment(TRACE, "e000000000000001", 1000)))
        .unprocessedTraceSegments()).isEmpty();
    logs.createLogGroup(b -> b.logGroupName("keep"));
    logs.createLogStream(b -> b.logGroupName("keep").logStreamName("s"));
    logs.putLogEvents(b -> b.logGroupName("keep").logStreamName("s").logEvents(
        InputLogEvent.builder().timestamp(NOW * 1000 - 1000).message("first").build(),
        InputLogEvent.builder().timestamp(NOW * 1000).message("second").build()));
    cloudwatch.putMetricData(b -> b.namespace("keep").metricData(MetricDatum.builder().metricName("rolls")
        .value(4.0).timestamp(Instant.ofEpochSecond(NOW - 30)).build()));
  }

  @AfterAll
  void stop() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    service.shutdown();
  }

  private static String segment(String trace, String id, int bytesOfMetadata) {
    return "{\"trace_id\":\"" + trace + "\",\"id\":\"" + id + "\",\"name\":\"keep\",\"start_time\":" + (NOW - 5)
        + ",\"end_time\":" + (NOW - 4) + ",\"metadata\":{\"default\":{\"pad\":\"" + "x".repeat(bytesOfMetadata)
        + "\"}}}";
  }

  /** The call, with the tamper armed, must fail as {@code type} with {@code code} and a message containing {@code text}. */
  private void fails(Consumer<Tamper> arm, Runnable call, Class<? extends AwsServiceException> type, int status,
      String code, String text) {
    tamper.reset();
    arm.accept(tamper);
    try {
      assertThatThrownBy(call::run).isInstanceOfSatisfying(type, e -> {
        assertThat(e.statusCode()).isEqualTo(status);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo(code);
        assertThat(e.awsErrorDetails().errorMessage()).contains(text);
      });
    } finally {
      tamper.reset();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void xrayRestJson() {
    fails(t -> t.body = utf8("{\"TraceIds\": ["), () -> xray.batchGetTraces(b -> b.traceIds(TRACE)),
        InvalidRequestException.class, 400, "InvalidRequestException", "request body is not JSON");
    fails(t -> t.body = utf8("[1, 2]"), () -> xray.batchGetTraces(b -> b.traceIds(TRACE)),
        InvalidRequestException.class, 400, "InvalidRequestException", "expected a JSON object");
    fails(t -> t.body = utf8("{\"StartTime\": \"yesterday\", \"EndTime\": 1}"),
        () -> xray.getTraceSummaries(b -> b.startTime(Instant.EPOCH).endTime(Instant.EPOCH)),
        InvalidRequestException.class, 400, "InvalidRequestException", "StartTime: \"yesterday\" (expected: epoch");
    fails(t -> t.body = utf8("{\"EndTime\": 1}"),
        () -> xray.getTraceSummaries(b -> b.startTime(Instant.EPOCH).endTime(Instant.EPOCH)),
        InvalidRequestException.class, 400, "InvalidRequestException", "StartTime: missing (required");
    fails(t -> t.body = utf8("{\"TraceIds\": \"" + TRACE + "\"}"), () -> xray.batchGetTraces(b -> b.traceIds(TRACE)),
        InvalidRequestException.class, 400, "InvalidRequestException", "TraceIds: STRING (expected: a list)");
    fails(t -> t.body = utf8("{\"TraceSegmentDocuments\": {\"id\": 1}}"),
        () -> xray.putTraceSegments(b -> b.traceSegmentDocuments("{}")),
        InvalidRequestException.class, 400, "InvalidRequestException", "TraceSegmentDocuments: OBJECT (expected: a list)");
    // A document of the wrong type is refused alone with a 200: ADOT drops a whole batch on any 4xx.
    tamper.body = utf8("{\"TraceSegmentDocuments\": [{\"id\": 1}]}");
    var wrongType = xray.putTraceSegments(b -> b.traceSegmentDocuments("{}"));
    tamper.reset();
    assertThat(wrongType.unprocessedTraceSegments()).singleElement()
        .satisfies(u -> assertThat(u.errorCode()).isEqualTo("JSONFormatError"));
    // An unknown path is the HTTP server's plain 404 (X-Ray shares the endpoint with other routes).
    tamper.path = "/NoSuchOperation";
    assertThatThrownBy(() -> xray.getSamplingRules(b -> { })).isInstanceOfSatisfying(
        software.amazon.awssdk.services.xray.model.XRayException.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    tamper.reset();

    // A document over X-Ray's 64 KB is refused alone, in UnprocessedTraceSegments; its batch is stored.
    String big = segment("1-" + Long.toHexString(NOW) + "-00000000000000000000e002", "e000000000000002", 70_000);
    String small = segment("1-" + Long.toHexString(NOW) + "-00000000000000000000e003", "e000000000000003", 10);
    var r = xray.putTraceSegments(b -> b.traceSegmentDocuments(big, small));
    assertThat(r.unprocessedTraceSegments()).singleElement().satisfies(u -> {
      assertThat(u.id()).isEqualTo("e000000000000002");
      assertThat(u.errorCode()).isEqualTo("DocumentTooLarge");
    });
    assertThat(xray.batchGetTraces(b -> b.traceIds("1-" + Long.toHexString(NOW) + "-00000000000000000000e003"))
        .traces()).hasSize(1);
  }

  @Test
  void logsAwsJson11() {
    var error = software.amazon.awssdk.services.cloudwatchlogs.model.CloudWatchLogsException.class;
    fails(t -> t.body = utf8("{\"logGroupName\": "), () -> logs.createLogGroup(b -> b.logGroupName("x")),
        error, 400, "SerializationException", "body is not JSON");
    fails(t -> t.body = utf8("\"logGroupName\""), () -> logs.createLogGroup(b -> b.logGroupName("x")),
        error, 400, "SerializationException", "body must be a JSON object");
    fails(t -> t.target = "Logs_20140328.FrobnicateLogs", () -> logs.createLogGroup(b -> b.logGroupName("x")),
        error, 400, "UnknownOperationException", "Logs_20140328.FrobnicateLogs");
    fails(t -> t.target = "Nonsense_2099.CreateLogGroup", () -> logs.createLogGroup(b -> b.logGroupName("x")),
        error, 400, "UnknownOperationException", "Nonsense_2099.CreateLogGroup");
    fails(t -> { }, () -> logs.createLogGroup(b -> { }),
        InvalidParameterException.class, 400, "InvalidParameterException", "logGroupName is required");
    fails(t -> t.body = utf8("{\"logGroupName\": 42}"), () -> logs.createLogGroup(b -> b.logGroupName("x")),
        InvalidParameterException.class, 400, "InvalidParameterException", "logGroupName: expected a string, got 42");
    fails(t -> t.body = utf8("{\"logGroupName\": \"keep\", \"logStreamName\": \"s\", \"logEvents\": "
        + "[{\"timestamp\": \"noon\", \"message\": \"m\"}]}"),
        () -> logs.putLogEvents(b -> b.logGroupName("keep").logStreamName("s")),
        InvalidParameterException.class, 400, "InvalidParameterException", "logEvents[0].timestamp");
    fails(t -> t.body = utf8("{\"logGroupName\": \"keep\", \"limit\": \"ten\"}"),
        () -> logs.describeLogStreams(b -> b.logGroupName("keep")),
        InvalidParameterException.class, 400, "InvalidParameterException", "limit");
    // CloudWatch's limits: count, size, order, 24 h span.
    List<InputLogEvent> many = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      many.add(InputLogEvent.builder().timestamp(NOW * 1000).message("m").build());
    }
    fails(t -> { }, () -> logs.putLogEvents(b -> b.logGroupName("keep").logStreamName("s").logEvents(many)),
        InvalidParameterException.class, 400, "InvalidParameterException", "10001 events (at most 10000)");
    fails(t -> { }, () -> logs.putLogEvents(b -> b.logGroupName("keep").logStreamName("s").logEvents(
        InputLogEvent.builder().timestamp(NOW * 1000).message("y".repeat(1_048_551)).build())),
        InvalidParameterException.class, 400, "InvalidParameterException", "an event must fit in 1048550");
    fails(t -> { }, () -> logs.putLogEvents(b -> b.logGroupName("keep").logStreamName("s").logEvents(
        InputLogEvent.builder().timestamp(NOW * 1000 - 25 * 3_600_000L).message("a").build(),
        InputLogEvent.builder().timestamp(NOW * 1000).message("b").build())),
        InvalidParameterException.class, 400, "InvalidParameterException", "cannot span more than 24 hours");
    fails(t -> { }, () -> logs.startQuery(b -> b.logGroupName("keep").startTime(NOW - 60).endTime(NOW)
        .queryString("fields @message | sort @timestamp sideways")),
        software.amazon.awssdk.services.cloudwatchlogs.model.MalformedQueryException.class, 400,
        "MalformedQueryException", "sideways");
  }

  @Test
  void cloudwatchCbor() {
    var error = software.amazon.awssdk.services.cloudwatch.model.CloudWatchException.class;
    fails(t -> t.body = new byte[] {(byte) 0xbf, 0x61}, () -> cloudwatch.listMetrics(b -> { }),
        error, 400, "SerializationException", "malformed request body");
    fails(t -> t.path = "/service/GraniteServiceVersion20100801/operation/FrobnicateMetrics",
        () -> cloudwatch.listMetrics(b -> { }), error, 400, "InvalidAction", "FrobnicateMetrics");
    fails(t -> { }, () -> cloudwatch.putMetricData(b -> b.metricData(MetricDatum.builder().metricName("x").value(1.0)
        .build())), MissingRequiredParameterException.class, 400, "MissingParameter", "Namespace");
    List<MetricDatum> tooMany = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      tooMany.add(MetricDatum.builder().metricName("m").value(1.0).build());
    }
    fails(t -> { }, () -> cloudwatch.putMetricData(b -> b.namespace("keep").metricData(tooMany)),
        InvalidParameterValueException.class, 400, "InvalidParameterValue", "greater than 1000");
    fails(t -> { }, () -> cloudwatch.putMetricData(b -> b.namespace("keep").metricData(MetricDatum.builder()
        .metricName("m").values(new ArrayList<>(java.util.Collections.nCopies(151, 1.0))).build())),
        InvalidParameterValueException.class, 400, "InvalidParameterValue", "Values must not have a size greater");
    fails(t -> { }, () -> cloudwatch.putMetricData(b -> b.namespace("keep").metricData(MetricDatum.builder()
        .metricName("m").value(1.0).timestamp(Instant.ofEpochSecond(NOW - 15 * 86_400)).build())),
        InvalidParameterValueException.class, 400, "InvalidParameterValue", "two weeks in the past");
  }

  /** botocore's awsJson1_0 (no Java SDK v2 client speaks it to CloudWatch): status, __type, query code, message. */
  private String[] json10(String target, String body) {
    AggregatedHttpResponse r = WebClient.of(endpoint).execute(RequestHeaders.builder(HttpMethod.POST, "/")
        .contentType(MediaType.parse("application/x-amz-json-1.0")).add("x-amz-target", target)
        .add("x-amzn-query-mode", "true").build(), body).aggregate().join();
    String json = r.contentUtf8();
    return new String[] {Integer.toString(r.status().code()), json.replaceAll(".*\"__type\":\"([^\"]*)\".*", "$1"),
        r.headers().get("x-amzn-query-error"), json.replaceAll(".*\"message\":\"([^\"]*)\".*", "$1")};
  }

  /** Debian CLI's awsQuery: status and the XML error's code and message. */
  private String[] query(String form) {
    AggregatedHttpResponse r = WebClient.of(endpoint).execute(RequestHeaders.builder(HttpMethod.POST, "/")
        .contentType(MediaType.FORM_DATA).build(), form).aggregate().join();
    String xml = r.contentUtf8();
    return new String[] {Integer.toString(r.status().code()), xml.replaceAll(".*<Code>(.*)</Code>.*", "$1"),
        xml.replaceAll(".*<Message>(.*)</Message>.*", "$1")};
  }

  @Test
  void cloudwatchJson10AndQuery() {
    assertThat(json10("GraniteServiceVersion20100801.ListMetrics", "{\"Namespace\": [")).containsExactly("400",
        "com.amazonaws.cloudwatch#SerializationException", "SerializationException;Sender",
        json10("GraniteServiceVersion20100801.ListMetrics", "{\"Namespace\": [")[3]);
    assertThat(json10("GraniteServiceVersion20100801.PutMetricData",
        "{\"Namespace\": \"keep\", \"MetricData\": [{\"MetricName\": \"m\", \"Value\": \"lots\"}]}"))
        .containsExactly("400", "com.amazonaws.cloudwatch#InvalidParameterValueException",
            "InvalidParameterValue;Sender", "The value lots for parameter MetricData.member.1.Value is invalid.");
    assertThat(json10("GraniteServiceVersion20100801.Frobnicate", "{}")).containsExactly("400",
        "com.amazonaws.cloudwatch#InvalidAction", "InvalidAction;Sender",
        "The action Frobnicate is not valid for this web service.");
    assertThat(json10("GraniteServiceVersion20100801.GetMetricStatistics", "{\"Namespace\": \"keep\"}"))
        .containsExactly("400", "com.amazonaws.cloudwatch#MissingRequiredParameterException",
            "MissingParameter;Sender", "The parameter StartTime is required.");

    assertThat(query("Action=Frobnicate&Version=2010-08-01")).containsExactly("400", "InvalidAction",
        "The action Frobnicate is not valid for this web service.");
    assertThat(query("Action=PutMetricData&Version=2010-08-01&Namespace=keep&MetricData.member.1.MetricName=m"
        + "&MetricData.member.1.Value=lots")).containsExactly("400", "InvalidParameterValue",
        "The value lots for parameter MetricData.member.1.Value is invalid.");
    assertThat(query("Action=PutMetricData&Version=2010-08-01&Namespace=keep&MetricData.member.1.MetricName=m"
        + "&MetricData.member.1.Value=1&MetricData.member.1.Timestamp=tuesday")).containsExactly("400",
        "InvalidParameterValue", "The value tuesday for parameter MetricData.member.1.Timestamp is invalid.");
  }

  @Test
  void zz_nothingStoredBeforeIsLost_andNothingOfTheBadRequestsIsStored() {
    // Runs last: methods run in name order.
    assertThat(xray.batchGetTraces(b -> b.traceIds(TRACE)).traces()).singleElement()
        .satisfies(t -> assertThat(t.segments()).hasSize(1));
    assertThat(logs.getLogEvents(b -> b.logGroupName("keep").logStreamName("s").startFromHead(true)).events())
        .extracting(e -> e.message()).containsExactly("first", "second");
    assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("x")).logGroups()).isEmpty();
    var stats = cloudwatch.getMetricStatistics(b -> b.namespace("keep").metricName("rolls")
        .startTime(Instant.ofEpochSecond(NOW - 3600)).endTime(Instant.ofEpochSecond(NOW + 60)).period(3600)
        .statistics(software.amazon.awssdk.services.cloudwatch.model.Statistic.SAMPLE_COUNT,
            software.amazon.awssdk.services.cloudwatch.model.Statistic.SUM));
    assertThat(stats.datapoints()).singleElement().satisfies(d -> {
      assertThat(d.sampleCount()).isEqualTo(1.0);
      assertThat(d.sum()).isEqualTo(4.0);
    });
    assertThat(cloudwatch.listMetrics(b -> b.namespace("keep")).metrics()).extracting(m -> m.metricName())
        .containsExactly("rolls");
  }
}
