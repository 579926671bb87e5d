package dev.kansoku.ship;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.kansoku.aws.logs.LogEvent;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * The sink against an HTTP server answering in CloudWatch Logs' awsJson1.1 shape with a scripted
 * sequence of errors, for what Kansoku's own endpoint cannot be made to do on demand (throttle, fail
 * with 5xx). The round trip through Kansoku itself is ShipToKansokuTest in kansoku-server.
 */
class CloudWatchLogsSinkTest {
  private HttpServer server;
  private CloudWatchLogsClient client;
  /** Scripted answers to PutLogEvents: "200", or "status errorType"; once empty, every call succeeds. */
  private final Deque<String> script = new ConcurrentLinkedDeque<>();
  /** The same for CreateLogStream. */
  private final Deque<String> createStreamScript = new ConcurrentLinkedDeque<>();
  private final List<String> calls = new ArrayList<>();
  private final List<Long> callNanos = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    client = CloudWatchLogsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .overrideConfiguration(c -> c.retryPolicy(RetryPolicy.none())).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  private void answer(HttpExchange ex) throws IOException {
    String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
    String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    synchronized (calls) {
      calls.add(target.substring(target.indexOf('.') + 1) + (target.endsWith("PutLogEvents") ? " " + body : ""));
      callNanos.add(System.nanoTime());
    }
    String next = target.endsWith("PutLogEvents") ? script.poll()
        : target.endsWith("CreateLogStream") ? createStreamScript.poll() : null;
    int status = 200;
    String out = target.endsWith("PutLogEvents") ? "{\"nextSequenceToken\":\"1\"}" : "{}";
    if (next != null && next.startsWith("200 ")) {
      out = next.substring(4);
    } else if (next != null && !next.equals("200")) {
      String[] p = next.split(" ");
      status = Integer.parseInt(p[0]);
      out = "{\"__type\":\"" + p[1] + "\",\"message\":\"scripted " + p[1] + "\"}";
    }
    byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
    ex.close();
  }

  private CloudWatchLogsSink sink() {
    return new CloudWatchLogsSink(client, "/ecs/dice", "dice/1", Duration.ofMillis(50), Duration.ofMillis(400),
        Duration.ofMillis(300));
  }

  private static List<LogEvent> batch(String... messages) {
    List<LogEvent> out = new ArrayList<>();
    for (int i = 0; i < messages.length; i++) {
      out.add(new LogEvent(1_700_000_000_000L + i, messages[i], messages[i].length()));
    }
    return out;
  }

  @Test
  void throttlingAndServerErrorsAreRetriedWithGrowingBackoff() throws Exception {
    script.add("400 ThrottlingException");
    script.add("503 ServiceUnavailableException");
    script.add("400 ThrottlingException");
    CloudWatchLogsSink sink = sink();
    sink.put(batch("one", "two"), () -> false);
    assertThat(calls).hasSize(4).allSatisfy(c -> assertThat(c).startsWith("PutLogEvents ")
        .contains("\"message\":\"one\"").contains("\"message\":\"two\""));
    long first = callNanos.get(1) - callNanos.get(0);
    long third = callNanos.get(3) - callNanos.get(2);
    assertThat(first).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
    assertThat(third).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(sink.sentEvents()).isEqualTo(2);
    assertThat(sink.droppedEvents()).isZero();
  }

  @Test
  void missingStreamIsCreatedThenTheBatchIsSent() throws Exception {
    script.add("400 ResourceNotFoundException");
    CloudWatchLogsSink sink = sink();
    sink.put(batch("hello"), () -> false);
    assertThat(calls).extracting(c -> c.split(" ")[0])
        .containsExactly("PutLogEvents", "CreateLogStream", "PutLogEvents");
    assertThat(sink.sentEvents()).isEqualTo(1);
  }

  @Test
  void missingGroupAndStreamAreCreatedThenTheBatchIsSent() throws Exception {
    script.add("400 ResourceNotFoundException");
    createStreamScript.add("400 ResourceNotFoundException");
    CloudWatchLogsSink sink = sink();
    sink.put(batch("hello"), () -> false);
    assertThat(calls).extracting(c -> c.split(" ")[0])
        .containsExactly("PutLogEvents", "CreateLogStream", "CreateLogGroup", "CreateLogStream", "PutLogEvents");
    assertThat(sink.sentEvents()).isEqualTo(1);
  }

  @Test
  void rejectedEventsAreCounted() throws Exception {
    script.add("200 {\"rejectedLogEventsInfo\":{\"tooOldLogEventEndIndex\":1,\"tooNewLogEventStartIndex\":2}}");
    CloudWatchLogsSink sink = sink();
    sink.put(batch("old", "fine", "new"), () -> false);
    assertThat(sink.sentEvents()).isEqualTo(3);
    assertThat(sink.rejectedEvents()).isEqualTo(2);
  }

  @Test
  void badRequestIsDroppedWithoutRetry() throws Exception {
    script.add("400 InvalidParameterException");
    CloudWatchLogsSink sink = sink();
    sink.put(batch("a", "b", "c"), () -> false);
    assertThat(calls).hasSize(1);
    assertThat(sink.droppedEvents()).isEqualTo(3);
    assertThat(sink.sentEvents()).isZero();
  }

  @Test
  void whenStoppingAFailingEndpointIsGivenUpAfterTheGracePeriod() throws Exception {
    for (int i = 0; i < 100; i++) {
      script.add("500 ServiceUnavailableException");
    }
    CloudWatchLogsSink sink = sink();
    long start = System.nanoTime();
    sink.put(batch("x"), () -> true);
    long took = System.nanoTime() - start;
    assertThat(sink.droppedEvents()).isEqualTo(1);
    assertThat(took).isBetween(Duration.ofMillis(300).toNanos(), Duration.ofSeconds(3).toNanos());
  }
}
