package dev.kansoku.awsapi.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogGroupsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.DescribeLogStreamsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.MalformedQueryException;
import software.amazon.awssdk.services.cloudwatchlogs.model.OrderBy;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.PutLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceAlreadyExistsException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/** CloudWatch Logs driven through the official SDK v2 client against a started extension. */
final class LogsApiSdkTest {
  static final String TRACE = "1-655415c5-f8ce3ffe767daf7d6ef94d72";
  static final String SEED = "00:50:13.242 trace_id=" + TRACE
      + "@ed4719643c9748b6 span_id=ed4719643c9748b6 trace_flags=01 GET \"/rolldice\", parameters={}";

  static LogsServer server;
  static CloudWatchLogsClient logs;
  static long base;

  @BeforeAll
  static void start() throws Exception {
    server = new LogsServer();
    logs = server.client;
    base = System.currentTimeMillis() - 600_000;
    logs.createLogGroup(b -> b.logGroupName("dice-server"));
    logs.createLogStream(b -> b.logGroupName("dice-server").logStreamName("i-1"));
    logs.createLogStream(b -> b.logGroupName("dice-server").logStreamName("i-2"));
    logs.createLogGroup(b -> b.logGroupName("scratch")); // for tests that add events of their own
    logs.putLogEvents(b -> b.logGroupName("dice-server").logStreamName("i-1").logEvents(
        ev(base, SEED),
        ev(base + 1000, "{\"level\":\"ERROR\",\"latency\":250,\"msg\":\"dice fell off the table\",\"user\":{\"id\":7}}"),
        ev(base + 2000, "{\"level\":\"INFO\",\"latency\":12,\"msg\":\"rolled 6\",\"user\":{\"id\":8}}"),
        ev(base + 3000, "ERROR ARGUMENTS missing die"),
        ev(base + 4000, "WARN slow roll")));
    logs.putLogEvents(b -> b.logGroupName("dice-server").logStreamName("i-2").logEvents(
        ev(base + 500, "127.0.0.1 frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326"),
        ev(base + 1500, "127.0.0.1 frank [10/Oct/2000:13:55:37 -0700] \"GET /rolldice HTTP/1.0\" 503 12"),
        ev(base + 2500, "INFO ready")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static InputLogEvent ev(long ts, String msg) {
    return InputLogEvent.builder().timestamp(ts).message(msg).build();
  }

  static List<String> messages(FilterLogEventsResponse r) {
    return r.events().stream().map(FilteredLogEvent::message).toList();
  }

  static FilterLogEventsResponse filter(String pattern) {
    return logs.filterLogEvents(b -> b.logGroupName("dice-server").filterPattern(pattern));
  }

  @Test
  void everyAnswerCarriesARequestId() {
    String first = logs.describeLogGroups(b -> b.logGroupNamePrefix("dice")).responseMetadata().requestId();
    String second = logs.describeLogGroups(b -> b.logGroupNamePrefix("dice")).responseMetadata().requestId();
    assertThat(first).matches("[0-9a-f-]{36}").isNotEqualTo(second);
    assertThatThrownBy(() -> logs.describeLogStreams(b -> b.logGroupName("no-such-group")))
        .isInstanceOfSatisfying(ResourceNotFoundException.class,
            e -> assertThat(e.requestId()).matches("[0-9a-f-]{36}"));
    assertThatThrownBy(() -> logs.startQuery(b -> b.logGroupName("dice-server").queryString("fields @message |")
        .startTime(0L).endTime(1L)))
        .isInstanceOfSatisfying(MalformedQueryException.class,
            e -> assertThat(e.requestId()).matches("[0-9a-f-]{36}"));
  }

  @Test
  void getLogEventsBothDirections() {
    GetLogEventsResponse newest = logs.getLogEvents(b -> b.logGroupName("dice-server").logStreamName("i-1").limit(2));
    assertThat(newest.events()).extracting(OutputLogEvent::message).containsExactly("ERROR ARGUMENTS missing die",
        "WARN slow roll");
    GetLogEventsResponse older = logs.getLogEvents(b -> b.logGroupName("dice-server").logStreamName("i-1").limit(2)
        .nextToken(newest.nextBackwardToken()));
    assertThat(older.events()).extracting(OutputLogEvent::timestamp).containsExactly(base + 1000, base + 2000);
    GetLogEventsResponse head = logs.getLogEvents(b -> b.logGroupName("dice-server").logStreamName("i-1")
        .startFromHead(true).limit(3));
    assertThat(head.events()).hasSize(3);
    assertThat(head.events().get(0).message()).isEqualTo(SEED);
    assertThat(head.events().get(0).ingestionTime()).isGreaterThanOrEqualTo(base);
    GetLogEventsResponse rest = logs.getLogEvents(b -> b.logGroupName("dice-server").logStreamName("i-1")
        .nextToken(head.nextForwardToken()).limit(3));
    assertThat(rest.events()).extracting(OutputLogEvent::message).containsExactly("ERROR ARGUMENTS missing die",
        "WARN slow roll");
    GetLogEventsResponse end = logs.getLogEvents(b -> b.logGroupName("dice-server").logStreamName("i-1")
        .nextToken(rest.nextForwardToken()));
    assertThat(end.events()).isEmpty();
    assertThat(end.nextForwardToken()).isEqualTo(rest.nextForwardToken()); // how callers know they are done
  }

  @Test
  void filterTermsPhrasesExclusionsAlternatives() {
    assertThat(messages(filter("ERROR ARGUMENTS"))).containsExactly("ERROR ARGUMENTS missing die");
    assertThat(messages(filter("ERROR"))).hasSize(2); // the JSON line's "ERROR" is a term too
    assertThat(messages(filter("\"slow roll\""))).containsExactly("WARN slow roll");
    assertThat(messages(filter("ERROR -ARGUMENTS"))).hasSize(1).allMatch(m -> m.startsWith("{"));
    assertThat(messages(filter("?WARN ?ready"))).containsExactly("INFO ready", "WARN slow roll");
    assertThat(messages(filter(TRACE))).containsExactly(SEED);
    assertThat(messages(filter("error"))).isEmpty(); // case-sensitive, as CloudWatch
    assertThat(filter("").events()).hasSize(8);
    FilterLogEventsResponse r = filter("WARN");
    assertThat(r.nextToken()).isNull();
    assertThat(r.events().get(0).eventId()).isNotEmpty();
    assertThat(r.events().get(0).ingestionTime()).isNotNull();
    assertThat(r.events().get(0).logStreamName()).isEqualTo("i-1");
    assertThat(r.searchedLogStreams()).isEmpty();
  }

  @Test
  void filterRegexJsonAndDelimited() {
    assertThat(messages(filter("%ARGUM[E]NTS%"))).containsExactly("ERROR ARGUMENTS missing die");
    assertThat(messages(filter("{ $.level = \"ERROR\" }"))).hasSize(1).allMatch(m -> m.contains("fell off"));
    assertThat(messages(filter("{ $.latency > 100 }"))).hasSize(1).allMatch(m -> m.contains("fell off"));
    assertThat(messages(filter("{ ($.level = \"INFO\") || ($.user.id = 7) }"))).hasSize(2);
    assertThat(messages(filter("{ $.level = \"ERROR\" && $.latency < 100 }"))).isEmpty();
    assertThat(messages(filter("{ $.msg = %fell% }"))).hasSize(1);
    assertThat(messages(filter("{ $.level = ERR* }"))).hasSize(1);
    assertThat(messages(filter("[ip, user, timestamp, request, status = 5*, bytes]")))
        .containsExactly("127.0.0.1 frank [10/Oct/2000:13:55:37 -0700] \"GET /rolldice HTTP/1.0\" 503 12");
    assertThat(messages(filter("[ip, ..., bytes > 1000]"))).hasSize(1).allMatch(m -> m.endsWith("2326"));
    assertThat(messages(filter("[ip, user = frank, ..., status = 200 || status = 503, bytes]"))).hasSize(2);
    assertThatThrownBy(() -> filter("{ $.level = }")).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("{ $.level = }");
  }

  @Test
  void filterByStreamsTimeAndPaging() {
    assertThat(logs.filterLogEvents(b -> b.logGroupName("dice-server").logStreamNames("i-2")).events()).hasSize(3);
    assertThat(logs.filterLogEvents(b -> b.logGroupIdentifier(
        "arn:aws:logs:us-west-2:000000000000:log-group:dice-server:*").logStreamNamePrefix("i-")).events()).hasSize(8);
    assertThat(logs.filterLogEvents(b -> b.logGroupName("dice-server").startTime(base + 1000).endTime(base + 2500))
        .events()).extracting(FilteredLogEvent::timestamp).containsExactly(base + 1000, base + 1500, base + 2000);
    List<FilteredLogEvent> all = new ArrayList<>();
    String token = null;
    int pages = 0;
    do {
      String t = token;
      FilterLogEventsResponse r = logs.filterLogEvents(b -> b.logGroupName("dice-server").limit(3).nextToken(t));
      all.addAll(r.events());
      token = r.nextToken();
      pages++;
    } while (token != null);
    assertThat(pages).isEqualTo(3);
    assertThat(all).extracting(FilteredLogEvent::timestamp).isSorted().hasSize(8);
    assertThat(all.stream().map(FilteredLogEvent::eventId).collect(Collectors.toSet())).hasSize(8);
    // The SDK's paginator follows nextToken the same way.
    assertThat(logs.filterLogEventsPaginator(b -> b.logGroupName("dice-server").limit(2)).events()).hasSize(8);
  }

  @Test
  void rejectedTooOldAndTooNew() {
    logs.createLogStream(b -> b.logGroupName("scratch").logStreamName("rejects"));
    long now = System.currentTimeMillis();
    PutLogEventsResponse r = logs.putLogEvents(b -> b.logGroupName("scratch").logStreamName("rejects").logEvents(
        ev(now - 15 * 86_400_000L, "ancient"), ev(now - 1000, "fresh"), ev(now + 3 * 3_600_000L, "future")));
    assertThat(r.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isEqualTo(1);
    assertThat(r.rejectedLogEventsInfo().tooNewLogEventStartIndex()).isEqualTo(2);
    assertThat(r.nextSequenceToken()).isNotEmpty();
    assertThat(logs.getLogEvents(b -> b.logGroupName("scratch").logStreamName("rejects")).events())
        .extracting(OutputLogEvent::message).containsExactly("fresh");
  }

  @Test
  void expiredByTheGroupsRetention() {
    logs.createLogGroup(b -> b.logGroupName("short-lived"));
    logs.putRetentionPolicy(b -> b.logGroupName("short-lived").retentionInDays(1));
    logs.createLogStream(b -> b.logGroupName("short-lived").logStreamName("s"));
    long now = System.currentTimeMillis();
    PutLogEventsResponse r = logs.putLogEvents(b -> b.logGroupName("short-lived").logStreamName("s").logEvents(
        ev(now - 3 * 86_400_000L, "three days old"), ev(now - 2 * 86_400_000L, "two days old"), ev(now, "today")));
    assertThat(r.rejectedLogEventsInfo().expiredLogEventEndIndex()).isEqualTo(2);
    assertThat(r.rejectedLogEventsInfo().tooOldLogEventEndIndex()).isNull();
    assertThat(logs.getLogEvents(b -> b.logGroupName("short-lived").logStreamName("s")).events())
        .extracting(OutputLogEvent::message).containsExactly("today");
  }

  @Test
  void putValidation() {
    logs.createLogStream(b -> b.logGroupName("scratch").logStreamName("bad"));
    long now = System.currentTimeMillis();
    assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName("scratch").logStreamName("bad")
        .logEvents(ev(now, "b"), ev(now - 5, "a")))).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("chronological");
    assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName("scratch").logStreamName("bad")
        .logEvents(ev(now - 25 * 3_600_000L, "a"), ev(now, "b")))).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("24 hours");
    List<InputLogEvent> many = new ArrayList<>();
    for (int i = 0; i < 10_001; i++) {
      many.add(ev(now, "x"));
    }
    assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName("scratch").logStreamName("bad")
        .logEvents(many))).isInstanceOf(InvalidParameterException.class).hasMessageContaining("10001");
    String big = "x".repeat(600_000);
    assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName("scratch").logStreamName("bad")
        .logEvents(ev(now, big), ev(now, big)))).isInstanceOf(InvalidParameterException.class)
        .hasMessageContaining("1048576");
    assertThat(logs.getLogEvents(b -> b.logGroupName("scratch").logStreamName("bad")).events()).isEmpty();
  }

  @Test
  void errorsAsSdkExceptions() {
    assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName("dice-server")))
        .isInstanceOf(ResourceAlreadyExistsException.class);
    assertThatThrownBy(() -> logs.createLogStream(b -> b.logGroupName("dice-server").logStreamName("i-1")))
        .isInstanceOf(ResourceAlreadyExistsException.class);
    assertThatThrownBy(() -> logs.createLogStream(b -> b.logGroupName("nope").logStreamName("s")))
        .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> logs.putLogEvents(b -> b.logGroupName("dice-server").logStreamName("missing")
        .logEvents(ev(System.currentTimeMillis(), "x")))).isInstanceOf(ResourceNotFoundException.class)
        .hasMessageContaining("log stream");
    assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("nope")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> logs.createLogGroup(b -> b.logGroupName("bad name!")))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("bad name!");
    assertThatThrownBy(() -> logs.putRetentionPolicy(b -> b.logGroupName("dice-server").retentionInDays(2)))
        .isInstanceOf(InvalidParameterException.class).hasMessageContaining("'2'");
    assertThatThrownBy(() -> logs.describeLogStreams(b -> b.logGroupName("dice-server").logStreamNamePrefix("i")
        .orderBy(OrderBy.LAST_EVENT_TIME))).isInstanceOf(InvalidParameterException.class);
    assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("dice-server").logGroupIdentifier("x")))
        .isInstanceOf(InvalidParameterException.class);
  }

  @Test
  void describeGroupsAndStreamsWithPagingAndRetention() {
    for (String g : List.of("pg/a", "pg/b", "pg/c")) {
      logs.createLogGroup(b -> b.logGroupName(g));
    }
    logs.putRetentionPolicy(b -> b.logGroupName("pg/b").retentionInDays(7));
    DescribeLogGroupsResponse p1 = logs.describeLogGroups(b -> b.logGroupNamePrefix("pg/").limit(2));
    assertThat(p1.logGroups()).extracting(g -> g.logGroupName()).containsExactly("pg/a", "pg/b");
    assertThat(p1.logGroups().get(1).retentionInDays()).isEqualTo(7);
    assertThat(p1.logGroups().get(0).retentionInDays()).isNull();
    assertThat(p1.logGroups().get(0).arn()).isEqualTo("arn:aws:logs:us-west-2:000000000000:log-group:pg/a:*");
    assertThat(p1.logGroups().get(0).creationTime()).isPositive();
    DescribeLogGroupsResponse p2 = logs.describeLogGroups(b -> b.logGroupNamePrefix("pg/").limit(2)
        .nextToken(p1.nextToken()));
    assertThat(p2.logGroups()).extracting(g -> g.logGroupName()).containsExactly("pg/c");
    assertThat(p2.nextToken()).isNull();
    logs.deleteRetentionPolicy(b -> b.logGroupName("pg/b"));
    assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("pg/b")).logGroups().get(0).retentionInDays())
        .isNull();
    assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("dice-server")).logGroups().get(0).storedBytes())
        .isPositive();

    DescribeLogStreamsResponse s1 = logs.describeLogStreams(b -> b.logGroupName("dice-server")
        .logStreamNamePrefix("i-").limit(1));
    assertThat(s1.logStreams()).extracting(LogStream::logStreamName).containsExactly("i-1");
    assertThat(s1.logStreams().get(0).firstEventTimestamp()).isEqualTo(base);
    assertThat(s1.logStreams().get(0).lastEventTimestamp()).isEqualTo(base + 4000);
    assertThat(s1.logStreams().get(0).lastIngestionTime()).isNotNull();
    assertThat(s1.logStreams().get(0).uploadSequenceToken()).isNotEmpty();
    DescribeLogStreamsResponse s2 = logs.describeLogStreams(b -> b.logGroupName("dice-server")
        .logStreamNamePrefix("i-").limit(1).nextToken(s1.nextToken()));
    assertThat(s2.logStreams()).extracting(LogStream::logStreamName).containsExactly("i-2");
    assertThat(logs.describeLogStreams(b -> b.logGroupName("dice-server").orderBy(OrderBy.LAST_EVENT_TIME)
        .descending(true).limit(1)).logStreams().get(0).logStreamName()).isEqualTo("i-1");
  }

  @Test
  void deleteHidesOldEventsAfterRecreate() {
    logs.createLogGroup(b -> b.logGroupName("gone"));
    logs.createLogStream(b -> b.logGroupName("gone").logStreamName("s"));
    long now = System.currentTimeMillis();
    logs.putLogEvents(b -> b.logGroupName("gone").logStreamName("s").logEvents(ev(now, "old life")));
    logs.deleteLogStream(b -> b.logGroupName("gone").logStreamName("s"));
    assertThatThrownBy(() -> logs.getLogEvents(b -> b.logGroupName("gone").logStreamName("s")))
        .isInstanceOf(ResourceNotFoundException.class);
    logs.deleteLogGroup(b -> b.logGroupName("gone"));
    assertThatThrownBy(() -> logs.deleteLogGroup(b -> b.logGroupName("gone")))
        .isInstanceOf(ResourceNotFoundException.class);
    logs.createLogGroup(b -> b.logGroupName("gone"));
    logs.createLogStream(b -> b.logGroupName("gone").logStreamName("s"));
    logs.putLogEvents(b -> b.logGroupName("gone").logStreamName("s").logEvents(ev(now, "new life")));
    assertThat(messages(logs.filterLogEvents(b -> b.logGroupName("gone")))).containsExactly("new life");
  }
}
