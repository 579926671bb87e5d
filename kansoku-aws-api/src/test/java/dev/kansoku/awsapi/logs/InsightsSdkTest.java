package dev.kansoku.awsapi.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.GetQueryResultsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.MalformedQueryException;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/** Logs Insights (StartQuery / GetQueryResults / StopQuery / DescribeQueries) through the SDK v2 client. */
final class InsightsSdkTest {
  static final String TRACE = LogsApiSdkTest.TRACE;
  static LogsServer server;
  static CloudWatchLogsClient logs;
  static long base;

  @BeforeAll
  static void start() throws Exception {
    server = new LogsServer();
    logs = server.client;
    // A minute boundary, so bin(1m) buckets are predictable.
    base = (System.currentTimeMillis() - 600_000) / 60_000 * 60_000;
    logs.createLogGroup(b -> b.logGroupName("dice-server"));
    logs.createLogStream(b -> b.logGroupName("dice-server").logStreamName("i-1"));
    logs.putLogEvents(b -> b.logGroupName("dice-server").logStreamName("i-1").logEvents(
        ev(base, LogsApiSdkTest.SEED),
        ev(base + 1000, "00:50:14.001 trace_id=1-655415c5-00000000000000000000abcd@ed4719643c9748b6 GET \"/other\""),
        ev(base + 2000, "{\"level\":\"ERROR\",\"latency\":250,\"msg\":\"dice fell\",\"user\":{\"id\":7}}"),
        ev(base + 61_000, "{\"level\":\"INFO\",\"latency\":12,\"msg\":\"rolled 6\",\"user\":{\"id\":8}}"),
        ev(base + 62_000, "{\"level\":\"ERROR\",\"latency\":90,\"msg\":\"dice lost\",\"user\":{\"id\":7}}"),
        ev(base + 63_000, "user=alice, method:GET took 12ms"),
        ev(base + 64_000, "[ERROR] db The error was: timeout")));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static InputLogEvent ev(long ts, String msg) {
    return InputLogEvent.builder().timestamp(ts).message(msg).build();
  }

  static GetQueryResultsResponse query(String q) throws InterruptedException {
    String id = logs.startQuery(b -> b.logGroupName("dice-server").startTime(base / 1000 - 60)
        .endTime(base / 1000 + 3600).queryString(q)).queryId();
    for (int i = 0; i < 200; i++) {
      GetQueryResultsResponse r = logs.getQueryResults(b -> b.queryId(id));
      if (r.status() == QueryStatus.COMPLETE) {
        return r;
      }
      assertThat(r.status()).isIn(QueryStatus.RUNNING, QueryStatus.SCHEDULED);
      Thread.sleep(20);
    }
    throw new AssertionError("query did not complete: " + q);
  }

  static List<Map<String, String>> rows(GetQueryResultsResponse r) {
    return r.results().stream().map(row -> {
      Map<String, String> m = new LinkedHashMap<>();
      for (ResultField f : row) {
        m.put(f.field(), f.value());
      }
      return m;
    }).toList();
  }

  @Test
  void xrayConsoleTraceQueryUsesTheIndex() throws Exception {
    GetQueryResultsResponse r = query("fields @timestamp, @message | filter @message like \"" + TRACE
        + "\" | sort @timestamp desc | limit 20");
    List<Map<String, String>> rows = rows(r);
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("@message")).isEqualTo(LogsApiSdkTest.SEED);
    assertThat(rows.get(0).get("@timestamp")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    assertThat(rows.get(0)).containsKey("@ptr");
    assertThat(r.statistics().recordsMatched()).isEqualTo(1.0);
    // Only the index's candidates were read, not all seven events.
    assertThat(r.statistics().recordsScanned()).isEqualTo(1.0);
  }

  @Test
  void defaultColumnsAndOrder() throws Exception {
    List<Map<String, String>> rows = rows(query("limit 3"));
    assertThat(rows).hasSize(3);
    assertThat(rows.get(0).keySet()).containsExactly("@timestamp", "@message", "@ptr");
    assertThat(rows.get(0).get("@message")).startsWith("[ERROR] db"); // newest first
  }

  @Test
  void statsCountByBin() throws Exception {
    GetQueryResultsResponse r = query("stats count(*) by bin(1m)");
    List<Map<String, String>> rows = rows(r);
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0).get("count(*)")).isEqualTo("4");
    assertThat(rows.get(1).get("count(*)")).isEqualTo("3");
    assertThat(rows.get(1).get("bin(1m)")).endsWith(":00.000");
    assertThat(r.statistics().recordsScanned()).isEqualTo(7.0);
  }

  @Test
  void statsOnJsonFields() throws Exception {
    List<Map<String, String>> rows = rows(query(
        "filter ispresent(level) | stats count(*) as n, avg(latency), max(latency), pct(latency, 50),"
            + " count_distinct(user.id) by level | sort n desc"));
    assertThat(rows).hasSize(2);
    assertThat(rows.get(0)).containsEntry("level", "ERROR").containsEntry("n", "2").containsEntry("avg(latency)", "170")
        .containsEntry("max(latency)", "250").containsEntry("pct(latency, 50)", "90")
        .containsEntry("count_distinct(user.id)", "1");
  }

  @Test
  void sumMinAndImplicitFields() throws Exception {
    assertThat(rows(query("filter ispresent(latency) | stats sum(latency) as total, min(latency) as least,"
        + " count(*) as n by @logStream")))
        .containsExactly(Map.of("@logStream", "i-1", "total", "352", "least", "12", "n", "3"));
    List<Map<String, String>> implicit = rows(query("fields @timestamp, @logStream, @log, @ingestionTime, @message"
        + " | filter @message like /took \\d+ms/"));
    assertThat(implicit).singleElement().satisfies(r -> {
      assertThat(r).containsEntry("@logStream", "i-1").containsEntry("@log", "000000000000:dice-server")
          .containsEntry("@message", "user=alice, method:GET took 12ms");
      assertThat(r.get("@ingestionTime")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
    });
  }

  @Test
  void filterOnJsonLevel() throws Exception {
    GetQueryResultsResponse r = query("fields @timestamp, msg | filter level = \"ERROR\" | sort @timestamp asc");
    assertThat(rows(r)).extracting(m -> m.get("msg")).containsExactly("dice fell", "dice lost");
    assertThat(r.statistics().recordsMatched()).isEqualTo(2.0);
    assertThat(rows(query("fields msg | filter level in [\"INFO\", \"WARN\"] or latency >= 250")))
        .extracting(m -> m.get("msg")).containsExactlyInAnyOrder("rolled 6", "dice fell");
    assertThat(rows(query("fields msg | filter msg =~ /lo?st/ and not (user.id != 7)")))
        .extracting(m -> m.get("msg")).containsExactly("dice lost");
  }

  @Test
  void parseGlobAndRegex() throws Exception {
    assertThat(rows(query("parse @message \"[*] * The error was: *\" as lvl, config, exception"
        + " | filter lvl = \"ERROR\" | display config, exception")))
        .containsExactly(Map.of("config", "db", "exception", "timeout"));
    assertThat(rows(query("parse @message /user=(?<user>.*?), method:(?<method>\\S+)/ | filter ispresent(user)"
        + " | display user, method"))).containsExactly(Map.of("user", "alice", "method", "GET"));
  }

  @Test
  void dedupAndLimit() throws Exception {
    assertThat(rows(query("fields level | filter ispresent(level) | dedup level")))
        .extracting(m -> m.get("level")).containsExactly("ERROR", "INFO");
  }

  @Test
  void malformedAndMissing() {
    assertThatThrownBy(() -> logs.startQuery(b -> b.logGroupName("dice-server").startTime(0L).endTime(10L)
        .queryString("fields @message | filter @message like")))
        .isInstanceOf(MalformedQueryException.class).hasMessageContaining("like");
    assertThatThrownBy(() -> logs.startQuery(b -> b.logGroupName("dice-server").startTime(0L).endTime(10L)
        .queryString("frobnicate everything"))).isInstanceOf(MalformedQueryException.class)
        .satisfies(e -> assertThat(((MalformedQueryException) e).queryCompileError().location().startCharOffset())
            .isZero());
    assertThatThrownBy(() -> logs.startQuery(b -> b.logGroupName("nope").startTime(0L).endTime(10L)
        .queryString("limit 1"))).isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> logs.getQueryResults(b -> b.queryId("no-such-id")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void describeAndStop() throws Exception {
    GetQueryResultsResponse done = query("limit 1");
    assertThat(done.status()).isEqualTo(QueryStatus.COMPLETE);
    assertThat(logs.describeQueries(b -> b.logGroupName("dice-server")).queries())
        .anySatisfy(q -> assertThat(q.queryString()).isEqualTo("limit 1"));
    String id = logs.describeQueries(b -> b.logGroupName("dice-server")).queries().get(0).queryId();
    assertThatThrownBy(() -> logs.stopQuery(b -> b.queryId(id)))
        .isInstanceOf(software.amazon.awssdk.services.cloudwatchlogs.model.InvalidParameterException.class);
  }
}
