package dev.kansoku.awsapi.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import dev.kansoku.model.MetricKind;
import dev.kansoku.model.MetricPoint;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * awsQuery (Debian's AWS CLI 2.9.19) and awsJson1_0 (pip AWS CLI 1.45.11 / botocore 1.43.11): the
 * requests those CLIs sent on this machine, replayed byte for byte against a started extension.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayedClientsTest {
  private static final String QUERY = "captures-awscli/v2-debian-2.9.19/";
  private static final String JSON = "captures-awscli/v1-pyenv-1.45.11/";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private TestEndpoint endpoint;

  @BeforeAll
  void start() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(Capture.ROOT.resolve(QUERY)), "captures not on this machine");
    endpoint = new TestEndpoint();
    // the captured GetMetricData asks for AWS/EC2 CPUUtilization i-123 on 2026-11-25 00:00-01:00; AWS/ is
    // reserved for PutMetricData, so the data goes to the store directly
    Map<String, String> dims = Map.of("InstanceId", "i-123");
    endpoint.storage().metricWriter().write(List.of(
        cpu(dims, "2026-11-25T00:00:10Z", 10), cpu(dims, "2026-11-25T00:00:20Z", 20),
        cpu(dims, "2026-11-25T00:05:00Z", 40), cpu(Map.of("InstanceId", "i-456"), "2026-11-25T00:00:10Z", 99)));
  }

  private static MetricPoint cpu(Map<String, String> dims, String at, double v) {
    Instant t = Instant.parse(at);
    return MetricPoint.value("AWS/EC2", "CPUUtilization", "Percent", dims,
        t.getEpochSecond() * 1_000_000_000L, MetricKind.GAUGE, v);
  }

  @AfterAll
  void stop() {
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @Test
  void queryPutMetricDataThenListMetrics() throws Exception {
    AggregatedHttpResponse put = Capture.load(QUERY + "009-PutMetricData.http").replay(endpoint.uri());
    assertThat(put.status().code()).isEqualTo(200);
    assertThat(put.contentUtf8()).startsWith("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/"
        + "2010-08-01/\"><ResponseMetadata><RequestId>").doesNotContain("PutMetricDataResult");
    Capture list = Capture.load(QUERY + "010-ListMetrics.http");
    AggregatedHttpResponse ec2 = list.withBody("Action=ListMetrics&Version=2010-08-01&Namespace=Apm%2FTest"
        + "&MetricName=Latency")
        .replay(endpoint.uri());
    assertThat(ec2.status().code()).isEqualTo(200);
    assertThat(ec2.contentUtf8()).contains("<ListMetricsResult><Metrics><member><Namespace>Apm/Test</Namespace>"
        + "<MetricName>Latency</MetricName><Dimensions><member><Name>Env</Name><Value>dev</Value></member>"
        + "<member><Name>Service</Name><Value>checkout</Value></member></Dimensions></member></Metrics>"
        + "</ListMetricsResult>");
    AggregatedHttpResponse filtered = list.withBody("Action=ListMetrics&Version=2010-08-01&Namespace=AWS%2FEC2"
        + "&Dimensions.member.1.Name=InstanceId&Dimensions.member.1.Value=i-456").replay(endpoint.uri());
    assertThat(filtered.contentUtf8()).contains("<Value>i-456</Value>").doesNotContain("i-123");
    assertThat(list.replay(endpoint.uri()).contentUtf8()).contains("<Value>i-123</Value>", "<Value>i-456</Value>");
  }

  @Test
  void queryGetMetricData() throws Exception {
    AggregatedHttpResponse r = Capture.load(QUERY + "008-GetMetricData.http").replay(endpoint.uri());
    assertThat(r.status().code()).isEqualTo(200);
    assertThat(r.contentType().toString()).startsWith("text/xml");
    assertThat(r.contentUtf8()).contains("<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/"
        + "2010-08-01/\"><GetMetricDataResult><MetricDataResults><member><Id>m1</Id><Label>CPUUtilization</Label>"
        + "<Timestamps><member>2026-11-25T00:05:00Z</member><member>2026-11-25T00:00:00Z</member></Timestamps>"
        + "<Values><member>40.0</member><member>15.0</member></Values><StatusCode>Complete</StatusCode>");
  }

  @Test
  void queryErrorIsXml() throws Exception {
    AggregatedHttpResponse r = Capture.load(QUERY + "009-PutMetricData.http")
        .withBody("Action=PutMetricData&Version=2010-08-01&Namespace=Apm%2FTest&MetricData.member.1.MetricName=L"
            + "&MetricData.member.1.Value=1&MetricData.member.1.Unit=Parsecs").replay(endpoint.uri());
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.contentUtf8()).startsWith("<ErrorResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
        + "<Error><Type>Sender</Type><Code>InvalidParameterValue</Code><Message>The value Parsecs for parameter "
        + "MetricData.member.1.Unit is invalid.</Message></Error><RequestId>");
    AggregatedHttpResponse missing = Capture.load(QUERY + "010-ListMetrics.http")
        .withBody("Action=GetMetricStatistics&Version=2010-08-01&Namespace=A").replay(endpoint.uri());
    assertThat(missing.contentUtf8()).contains("<Code>MissingParameter</Code>");
  }

  @Test
  void jsonPutGetList() throws Exception {
    AggregatedHttpResponse put = Capture.load(JSON + "009-GraniteServiceVersion20100801.PutMetricData.http")
        .replay(endpoint.uri());
    assertThat(put.status().code()).isEqualTo(200);
    assertThat(put.contentType().toString()).isEqualTo("application/x-amz-json-1.0");
    assertThat(put.contentUtf8()).isEqualTo("{}");

    AggregatedHttpResponse get = Capture.load(JSON + "008-GraniteServiceVersion20100801.GetMetricData.http")
        .replay(endpoint.uri());
    assertThat(get.status().code()).isEqualTo(200);
    JsonNode result = MAPPER.readTree(get.contentUtf8()).get("MetricDataResults").get(0);
    assertThat(result.get("Id").asText()).isEqualTo("m1");
    assertThat(result.get("Timestamps").toString()).isEqualTo("[" + Instant.parse("2026-11-25T00:05:00Z")
        .getEpochSecond() + "," + Instant.parse("2026-11-25T00:00:00Z").getEpochSecond() + "]");
    assertThat(result.get("Values").toString()).isEqualTo("[40.0,15.0]");
    assertThat(result.get("StatusCode").asText()).isEqualTo("Complete");

    AggregatedHttpResponse list = Capture.load(JSON + "010-GraniteServiceVersion20100801.ListMetrics.http")
        .replay(endpoint.uri());
    JsonNode metrics = MAPPER.readTree(list.contentUtf8()).get("Metrics");
    assertThat(metrics).hasSize(2);
    assertThat(metrics.get(0).get("Dimensions").get(0).get("Value").asText()).isEqualTo("i-123");
    assertThat(MAPPER.readTree(list.contentUtf8()).has("NextToken")).isFalse();
  }

  @Test
  void jsonErrorCarriesQueryCode() throws Exception {
    AggregatedHttpResponse r = Capture.load(JSON + "009-GraniteServiceVersion20100801.PutMetricData.http")
        .withBody("{\"Namespace\": \"Apm/Test\", \"MetricData\": [{\"MetricName\": \"L\", \"Value\": 1, "
            + "\"StorageResolution\": 5}]}").replay(endpoint.uri());
    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.headers().get("x-amzn-query-error")).isEqualTo("InvalidParameterValue;Sender");
    JsonNode body = MAPPER.readTree(r.contentUtf8());
    assertThat(body.get("__type").asText()).isEqualTo("com.amazonaws.cloudwatch#InvalidParameterValueException");
    assertThat(body.get("message").asText())
        .isEqualTo("The value 5 for parameter MetricData.member.1.StorageResolution is invalid.");
    AggregatedHttpResponse malformed = Capture.load(JSON + "010-GraniteServiceVersion20100801.ListMetrics.http")
        .withBody("{\"Namespace\": ").replay(endpoint.uri());
    assertThat(malformed.status().code()).isEqualTo(400);
    assertThat(MAPPER.readTree(malformed.contentUtf8()).get("__type").asText()).endsWith("SerializationException");
  }

  @Test
  void bigGzipJsonAndQueryPutMetricData() throws Exception {
    // botocore gzips the 150-datum JSON body; Debian's awsQuery CLI sends 54 KB of form fields
    assertThat(Capture.load("captures-awscli/big-putmetricdata-v1/001-GraniteServiceVersion20100801.PutMetricData.http")
        .replay(endpoint.uri()).status().code()).isEqualTo(200);
    assertThat(Capture.load("captures-awscli/big-putmetricdata-v2/001-PutMetricData.http").replay(endpoint.uri())
        .status().code()).isEqualTo(200);
    List<String> names = endpoint.storage().names().metricNames("Apm/Test");
    assertThat(names).contains("Latency000", "Latency149");
  }
}
