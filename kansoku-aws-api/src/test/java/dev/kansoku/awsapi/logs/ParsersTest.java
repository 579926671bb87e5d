package dev.kansoku.awsapi.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.model.TraceId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Many small cases for the filter-pattern and Logs Insights parsers. */
final class ParsersTest {
  static final String JSON = "{\"level\":\"ERROR\",\"latency\":250,\"ok\":false,\"n\":null,"
      + "\"user\":{\"id\":7,\"email\":\"John.Doe@example.com\"},\"tags\":[\"a\",\"b\"]}";
  static final String APACHE = "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /index.html HTTP/1.0\" 404 2326";

  static boolean fp(String pattern, String message) {
    FilterPattern p = FilterPattern.parse(pattern);
    return p.text().matches(message) && p.post().test(message);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "ERROR => ERROR in db => true",
      "ERROR => ERRORS in db => false",
      "ERROR => error in db => false",
      "ERROR db => ERROR in db => true",
      "ERROR disk => ERROR in db => false",
      "'\"in db\"' => ERROR in db => true",
      "'\"db in\"' => ERROR in db => false",
      "ERROR -db => ERROR in db => false",
      "ERROR -disk => ERROR in db => true",
      "?WARN ?ERROR => ERROR in db => true",
      "?WARN ?INFO => ERROR in db => false",
      "%ERR[O]R% => ERROR in db => true",
      "%^in% => ERROR in db => false",
      "'' => anything => true",
  })
  void unstructured(String pattern, String message, boolean expected) {
    assertThat(fp(pattern, message)).as(pattern + " on " + message).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "{ $.level = \"ERROR\" } => true",
      "{ $.level = ERROR } => true",
      "{ $.level != \"ERROR\" } => false",
      "{ $.level = ERR* } => true",
      "{ $.latency > 100 } => true",
      "{ $.latency >= 250 } => true",
      "{ $.latency < 250 } => false",
      "{ $.latency = 2.5e2 } => true",
      "{ $.user.id = 7 } => true",
      "{ $.user.email = \"John.Doe@example.com\" } => true",
      "{ $.tags[1] = b } => true",
      "{ $.tags[5] = b } => false",
      "{ $.user = 7 } => false",
      "{ $.ok IS FALSE } => true",
      "{ $.ok IS TRUE } => false",
      "{ $.n IS NULL } => true",
      "{ $.missing NOT EXISTS } => true",
      "{ $.level NOT EXISTS } => false",
      "{ $.level = \"INFO\" || $.latency > 100 } => true",
      "{ $.level = \"INFO\" && $.latency > 100 } => false",
      "{ ($.level = \"INFO\" || $.level = \"ERROR\") && $.user.id = 7 } => true",
      "{ $.level = %^ER% } => true",
  })
  void json(String pattern, boolean expected) {
    assertThat(fp(pattern, JSON)).as(pattern).isEqualTo(expected);
  }

  @Test
  void jsonPatternsNeverMatchPlainText() {
    assertThat(fp("{ $.level = ERROR }", "level=ERROR")).isFalse();
    assertThat(fp("{ $.level = ERROR }", "{broken json")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "[ip, id, user, timestamp, request, status, bytes] => true",
      "[ip, id, user, timestamp, request, status = 404, bytes] => true",
      "[ip, id, user, timestamp, request, status = 4*, bytes] => true",
      "[ip, id, user, timestamp, request, status = 5*, bytes] => false",
      "[ip, id, user, timestamp, request = *index*, status, bytes > 1000] => true",
      "[ip, id, user = frank, ...] => true",
      "[ip, ..., bytes < 1000] => false",
      "[..., status = 404 || status = 410, bytes] => true",
      "[ip, user] => false",
      "[w1 = 127*, ...] => true",
  })
  void delimited(String pattern, boolean expected) {
    assertThat(fp(pattern, APACHE)).as(pattern).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "{ $.level = }",
      "{ level = 1 }",
      "{ $.level = 1 ",
      "[ip, ",
      "[]",
      "%unclosed[%",
      "'\"unclosed'",
      "{ $.a IS MAYBE }",
  })
  void badPatternsNameThemselves(String pattern) {
    assertThatThrownBy(() -> FilterPattern.parse(pattern)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(pattern.strip().isEmpty() ? "" : pattern.strip().substring(0, 2));
  }

  // ---- Insights

  @Test
  void rowsAFilterDropsAreNotHeld_butTooManyHeldRowsFailTheQuery() {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      rows.add(row(1_700_000_000_000L + i, i % 10 == 0 ? "ERROR boom " + i : "ok " + i));
    }
    InsightsRunner small = new InsightsRunner(10);
    var counted = small.run(InsightsQuery.parse("filter @message like /ERROR/ | stats count() as n"),
        rows.iterator(), 100, () -> false).rows();
    assertThat(counted).hasSize(1);
    assertThat(counted.get(0).get("n")).isEqualTo("5");
    assertThatThrownBy(() -> small.run(InsightsQuery.parse("stats count() as n"), rows.iterator(), 100, () -> false))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("more than 10 matching records");
  }

  static List<Map<String, String>> run(String query, List<Map<String, Object>> rows) {
    List<Map<String, Object>> copy = new ArrayList<>();
    rows.forEach(r -> copy.add(new HashMap<>(r)));
    return new InsightsRunner().run(InsightsQuery.parse(query), copy.iterator(), 10_000, () -> false).rows();
  }

  static Map<String, Object> row(long ms, String message, Object... kv) {
    Map<String, Object> m = new HashMap<>();
    m.put("@timestamp", Instant.ofEpochMilli(ms));
    m.put("@message", message);
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static final List<Map<String, Object>> ROWS = List.of(
      row(3000, "c", "status", 500.0, "svc", "a", "latency", 30.0),
      row(2000, "b", "status", 200.0, "svc", "b", "latency", 20.0),
      row(1000, "a", "status", 404.0, "svc", "a", "latency", 10.0));

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "filter status = 500 => c",
      "filter status != 500 => b,a",
      "filter status >= 404 => c,a",
      "filter status in [200, 404] => b,a",
      "filter status not in [200, 404] => c",
      "filter svc = 'a' and latency > 15 => c",
      "filter svc = 'b' or latency < 15 => b,a",
      "filter not (svc = 'a') => b",
      "filter @message like 'b' => b",
      "filter @message not like /[ab]/ => c",
      "filter @message =~ /^[ac]$/ => c,a",
      "filter ispresent(svc) and not ispresent(nope) => c,b,a",
      "filter latency * 2 + 1 = 41 => b",
      "filter strlen(svc) = 1 and toupper(svc) = 'A' => c,a",
      "sort @timestamp asc => a,b,c",
      "sort latency => c,b,a",
      "sort svc asc, latency desc => c,a,b",
      "limit 2 => c,b",
      "filter status > 100 | sort latency asc | limit 1 => a",
      "dedup svc => c,b",
  })
  void insightsRowQueries(String query, String expectedMessages) {
    List<Map<String, String>> out = run("fields @message | " + query.replace("\\n", "\n"), ROWS);
    assertThat(out).extracting(m -> m.get("@message")).containsExactly(expectedMessages.split(","));
  }

  @Test
  void insightsStatsAndColumns() {
    assertThat(run("stats count(*) as n, sum(latency), min(latency), max(latency) by svc | sort n desc", ROWS))
        .first().isEqualTo(Map.of("svc", "a", "n", "2", "sum(latency)", "40", "min(latency)", "10",
            "max(latency)", "30"));
    assertThat(run("stats avg(latency) as a", ROWS)).containsExactly(Map.of("a", "20"));
    assertThat(run("stats pct(latency, 90) as p", ROWS)).containsExactly(Map.of("p", "30"));
    assertThat(run("stats count_distinct(svc) as d", ROWS)).containsExactly(Map.of("d", "2"));
    assertThat(run("stats count(*) by bin(2s)", ROWS)).extracting(m -> m.get("count(*)")).containsExactly("2", "1");
    assertThat(run("stats count(*) by bin(2s)", ROWS).get(0).get("bin(2s)")).isEqualTo("1970-01-01 00:00:02.000");
    assertThat(run("fields concat(svc, '-', status) as k | display k", ROWS)).extracting(m -> m.get("k"))
        .containsExactly("a-500", "b-200", "a-404");
    assertThat(run("fields @timestamp", ROWS).get(0).get("@timestamp")).isEqualTo("1970-01-01 00:00:03.000");
    assertThat(run("stats count(*) as n by svc | stats count(*) as groups", ROWS))
        .containsExactly(Map.of("groups", "2"));
  }

  @Test
  void insightsCommentsAndBackticks() {
    assertThat(run("fields @message\n# a comment | not a command\n| filter svc = 'b'", ROWS))
        .extracting(m -> m.get("@message")).containsExactly("b");
    assertThat(run("fields `svc` as `the-svc` | filter `the-svc` = 'b' | display `the-svc`", ROWS))
        .containsExactly(Map.of("the-svc", "b"));
  }

  @Test
  void insightsParse() {
    List<Map<String, Object>> rows = List.of(row(1, "[WARN] cfg The error was: oops"));
    assertThat(run("parse @message '[*] * The error was: *' as level, config, exception | display level, exception",
        rows)).containsExactly(Map.of("level", "WARN", "exception", "oops"));
    assertThat(run("parse @message /\\[(?<lvl>\\w+)\\]/ | display lvl", rows)).containsExactly(Map.of("lvl", "WARN"));
  }

  @Test
  void traceHint() {
    assertThat(InsightsQuery.parse("fields @timestamp, @message | filter @message like "
        + "\"1-655415c5-f8ce3ffe767daf7d6ef94d72\" | sort @timestamp desc").traceHint())
        .isEqualTo(TraceId.parse("655415c5f8ce3ffe767daf7d6ef94d72"));
    assertThat(InsightsQuery.parse("filter @message like \"1-655415c5-f8ce3ffe767daf7d6ef94d72\" and x = 1")
        .traceHint()).isNotNull();
    assertThat(InsightsQuery.parse("filter @message like \"1-655415c5-f8ce3ffe767daf7d6ef94d72\" or x = 1")
        .traceHint()).isNull();
    assertThat(InsightsQuery.parse("filter @message like \"655415c5\"").traceHint()).isNull();
    assertThat(InsightsQuery.parse("stats count(*) | filter @message like \"1-655415c5-f8ce3ffe767daf7d6ef94d72\"")
        .traceHint()).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiterString = " => ", value = {
      "'' => empty",
      "frobnicate x => unknown command",
      "fields => expected a value",
      "filter x like => like",
      "filter x = 'unclosed => unclosed",
      "stats median(x) => unknown aggregation",
      "stats pct(x, 120) => percentile",
      "stats count(*) by bin(5zz) => period",
      "limit 0 => limit",
      "limit ten => row count",
      "parse @message 'a * b' as x, y => 2 names",
      "parse @message /no groups/ => named groups",
      "filter x =~ /(/ => regular expression",
      "dedup x | sort x => only limit",
      "fields a | | fields b => command",
      "filter nosuchfn(x) => unknown function",
      "fields a b => | or the end",
  })
  void malformed(String query, String fragment) {
    assertThatThrownBy(() -> InsightsQuery.parse(query)).isInstanceOf(InsightsQuery.MalformedQuery.class)
        .hasMessageContaining(fragment);
  }
}
