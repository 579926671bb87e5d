package dev.kansoku.awsapi.xray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.model.SpanRecord;
import dev.kansoku.store.AttributeCondition;
import dev.kansoku.store.SpanFilter;
import dev.kansoku.store.SpanScope;
import dev.kansoku.store.TraceFilter;
import dev.kansoku.store.TraceStatus;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FilterExpressionsTest {

  /** expected: a TraceFilter tree, or a String: the error must contain it. */
  private static void check(String input, Object expected) {
    if (expected instanceof String message) {
      assertThatThrownBy(() -> FilterExpressions.compile(input)).as(input)
          .isInstanceOf(FilterExpressions.InvalidFilterException.class).hasMessageContaining(message);
    } else {
      assertThat(FilterExpressions.compile(input)).as(input).isEqualTo(expected);
    }
  }

  private static TraceFilter span(SpanScope scope, Consumer<SpanFilter.Builder> c) {
    SpanFilter.Builder b = SpanFilter.builder();
    c.accept(b);
    return new TraceFilter.HasSpan(b.build(), scope);
  }

  private static TraceFilter any(Consumer<SpanFilter.Builder> c) {
    return span(SpanScope.ANY, c);
  }

  private static TraceFilter root(Consumer<SpanFilter.Builder> c) {
    return span(SpanScope.ROOT, c);
  }

  private static TraceFilter service(String name) {
    return any(b -> b.serviceName(name));
  }

  private static TraceFilter not(TraceFilter f) {
    return new TraceFilter.Not(f);
  }

  private static TraceFilter and(TraceFilter... f) {
    return new TraceFilter.All(List.of(f));
  }

  private static TraceFilter or(TraceFilter... f) {
    return new TraceFilter.Any(List.of(f));
  }

  private static final TraceFilter FAULT = any(b -> b.status(TraceStatus.FAULT));
  private static final TraceFilter ERROR = any(b -> b.status(TraceStatus.ERROR));
  private static final TraceFilter THROTTLE = any(b -> b.status(TraceStatus.THROTTLE));

  @Test
  void blankIsNoFilter() {
    assertThat(FilterExpressions.compile(null)).isNull();
    assertThat(FilterExpressions.compile("   ")).isNull();
  }

  @Test
  void services() {
    check("service(\"dice-server\")", service("dice-server"));
    check("SERVICE( \"a\" )", service("a"));
    check("service()", any(b -> { }));
    check("service(\"a\") { fault }", and(service("a"), any(b -> b.serviceName("a").status(TraceStatus.FAULT))));
    check("service(\"a\") { !fault }", and(service("a"), not(any(b -> b.serviceName("a").status(TraceStatus.FAULT)))));
    check("service(\"a\") { root = true and fault = true }", and(service("a"), and(
        root(b -> b.serviceName("a")), any(b -> b.serviceName("a").status(TraceStatus.FAULT)))));
    check("service(\"a\") { responsetime > 1 }",
        and(service("a"), any(b -> b.serviceName("a").minDurationNanos(1_000_000_001L))));
    check("!service(\"x\")", not(service("x")));
    check("service(id(name: \"f\", type: \"AWS::Lambda::Function\"))",
        any(b -> b.serviceName("f").attribute(AttributeCondition.equalTo("cloud.platform", "aws_lambda"))));
    check("service(id(type: \"AWS::EC2::Instance\")) { error }", and(
        any(b -> b.attribute(AttributeCondition.equalTo("cloud.platform", "aws_ec2"))),
        any(b -> b.attribute(AttributeCondition.equalTo("cloud.platform", "aws_ec2")).status(TraceStatus.ERROR))));
    check("service(id(name: \"f\", type: \"AWS::ECS::Fargate\"))", any(b -> b.serviceName("f")
        .attribute(AttributeCondition.equalTo("cloud.platform", "aws_ecs"))
        .attribute(AttributeCondition.equalTo("aws.ecs.launchtype", "fargate"))));
    check("service(id(name: \"a\", account.id: \"123\"))",
        any(b -> b.serviceName("a").attribute(AttributeCondition.equalTo("cloud.account.id", "123"))));
  }

  @Test
  void edges() {
    check("edge(\"a\", \"b\")", new TraceFilter.Edge("a", "b"));
    check("edge(\"a\",\"b\") { error }",
        and(new TraceFilter.Edge("a", "b"), any(b -> b.serviceName("b").status(TraceStatus.ERROR))));
    check("edge(id(name: \"a\"), \"b\")", new TraceFilter.Edge("a", "b"));
  }

  @Test
  void statusKeywords() {
    check("fault", FAULT);
    check("error", ERROR);
    check("throttle", THROTTLE);
    check("Fault = true", FAULT);
    check("fault = false", not(FAULT));
    check("fault != true", not(FAULT));
    check("ok", not(or(FAULT, ERROR)));
    check("!ok", not(not(or(FAULT, ERROR))));
    check("partial", any(b -> b.attribute(AttributeCondition.equalTo("aws.xray.inprogress", true))));
  }

  @Test
  void numbers() {
    check("responsetime > 0.1", root(b -> b.minDurationNanos(100_000_001L)));
    check("responseTime >= 2", root(b -> b.minDurationNanos(2_000_000_000L)));
    check("responsetime < 1", root(b -> b.maxDurationNanos(999_999_999L)));
    check("responsetime <= 1", root(b -> b.maxDurationNanos(1_000_000_000L)));
    check("responsetime = 1", root(b -> b.minDurationNanos(1_000_000_000L).maxDurationNanos(1_000_000_000L)));
    check("responsetime != 1", not(root(b -> b.minDurationNanos(1_000_000_000L).maxDurationNanos(1_000_000_000L))));
    check("duration >= 5 AND duration <= 8", and(new TraceFilter.Duration(5_000_000_000L, Long.MAX_VALUE),
        new TraceFilter.Duration(0, 8_000_000_000L)));
    check("duration < 0", not(any(b -> { })));
    check("http.status = 500", root(b -> b.httpStatusRange(500, 500)));
    check("http.status >= 500", root(b -> b.httpStatusRange(500, 999)));
    check("http.status < 400", root(b -> b.httpStatusRange(100, 399)));
    check("http.status != 200", not(root(b -> b.httpStatusRange(200, 200))));
  }

  @Test
  void strings() {
    check("http.url CONTAINS \"/api/game/\"", root(b -> b.httpUrlContains("/api/game/")));
    check("http.url contains \"x\"", root(b -> b.httpUrlContains("x")));
    check("http.url", root(b -> b.httpUrlContains("")));
    check("http.url = \"http://a/b\"", or(
        root(b -> b.attribute(AttributeCondition.equalTo("url.full", "http://a/b"))),
        root(b -> b.attribute(AttributeCondition.equalTo("http.url", "http://a/b")))));
    check("http.method = \"POST\"", root(b -> b.httpMethod("POST")));
    check("http.method != \"GET\"", not(root(b -> b.httpMethod("GET"))));
    check("user = \"alice\"", any(b -> b.attribute(AttributeCondition.equalTo("enduser.id", "alice"))));
    check("user CONTAINS \"\"",
        any(b -> b.attribute(new AttributeCondition("enduser.id", AttributeCondition.Op.CONTAINS, ""))));
    check("http.useragent CONTAINS \"curl\"", or(
        root(b -> b.attribute(new AttributeCondition("http.user_agent", AttributeCondition.Op.CONTAINS, "curl"))),
        root(b -> b.attribute(new AttributeCondition("user_agent.original", AttributeCondition.Op.CONTAINS, "curl")))));
    check("name = \"GET /roll\"", any(b -> b.spanName("GET /roll")));
    check("user = \"say \\\"hi\\\"\"", any(b -> b.attribute(AttributeCondition.equalTo("enduser.id", "say \"hi\""))));
  }

  @Test
  void annotations() {
    check("annotation.player = \"alice\"", any(b -> b.attribute(AttributeCondition.equalTo("player", "alice"))));
    check("annotation.age > 29", any(b -> b.attribute(new AttributeCondition("age", AttributeCondition.Op.GREATER, 29L))));
    check("annotation.ratio <= 0.5",
        any(b -> b.attribute(new AttributeCondition("ratio", AttributeCondition.Op.LESS_OR_EQUAL, 0.5))));
    check("annotation.vip = true", any(b -> b.attribute(AttributeCondition.equalTo("vip", true))));
    check("annotation.age", any(b -> b.attribute(AttributeCondition.exists("age"))));
    check("!annotation.age", not(any(b -> b.attribute(AttributeCondition.exists("age")))));
    check("annotation.player != \"bob\"", not(any(b -> b.attribute(AttributeCondition.equalTo("player", "bob")))));
    check("annotation.gameid CONTAINS \"DL\"",
        any(b -> b.attribute(new AttributeCondition("gameid", AttributeCondition.Op.CONTAINS, "DL"))));
    check("annotation.gameid BEGINSWITH \"DL\"",
        any(b -> b.attribute(new AttributeCondition("gameid", AttributeCondition.Op.STARTS_WITH, "DL"))));
    check("annotation.gameid ENDSWITH \"7\"",
        any(b -> b.attribute(new AttributeCondition("gameid", AttributeCondition.Op.ENDS_WITH, "7"))));
    check("http.url BEGINSWITH \"https://\"", or(
        root(b -> b.attribute(new AttributeCondition("url.full", AttributeCondition.Op.STARTS_WITH, "https://"))),
        root(b -> b.attribute(new AttributeCondition("http.url", AttributeCondition.Op.STARTS_WITH, "https://")))));
    check("user ENDSWITH \"@example.com\"",
        any(b -> b.attribute(new AttributeCondition("enduser.id", AttributeCondition.Op.ENDS_WITH, "@example.com"))));
  }

  @Test
  void booleanLogic() {
    check("fault OR error", or(FAULT, ERROR));
    check("fault || error", or(FAULT, ERROR));
    check("fault AND error", and(FAULT, ERROR));
    check("fault && error", and(FAULT, ERROR));
    check("fault error", and(FAULT, ERROR)); // juxtaposition
    check("fault and error or throttle", or(and(FAULT, ERROR), THROTTLE));
    check("fault and (error or throttle)", and(FAULT, or(ERROR, THROTTLE)));
    check("NOT fault", not(FAULT));
    check("not (fault or error)", not(or(FAULT, ERROR)));
    check("!!fault", not(not(FAULT)));
    check("ok !partial duration < 3", and(not(or(FAULT, ERROR)),
        not(any(b -> b.attribute(AttributeCondition.equalTo("aws.xray.inprogress", true)))),
        new TraceFilter.Duration(0, 2_999_999_999L)));
    check("service(\"dice-server\") AND responsetime > 0.1",
        and(service("dice-server"), root(b -> b.minDurationNanos(100_000_001L))));
  }

  @Test
  void errorsNameTheOffset() {
    check("service(\"a\") AND", "unexpected end of expression at offset 16");
    check("service(\"a\"))", "unexpected ')' at offset 12");
    check("(fault", "at offset 6 (expected: ')')");
    check("service(\"a", "unterminated string starting at offset 8");
    check("responsetime > \"x\"", "at offset 15 (expected: a number)");
    check("responsetime", "at offset 12");
    check("http.status = 4.5", "http.status 4.5 is not a whole number at offset 14");
    check("bogus = 1", "unknown keyword 'bogus' at offset 0");
    check("fault AND rootcause.fault.service { name = \"a\" }", "'rootcause.fault.service' is not supported by Kansoku at offset 10");
    check("group.name = \"x\"", "not supported");
    check("http.url BEGINSWITH 3", "at offset 20 (expected: a quoted string)");
    check("annotation.a ENDSWITH 3", "ENDSWITH followed by");
    check("fault = maybe", "at offset 8 (expected: true or false)");
    check("annotation.a-b = 1", "unexpected character '-' at offset 12");
    check("annotation. = 1", "annotation key ''");
    check("fault # x", "unexpected character '#' at offset 6");
    check("service(\"a\") { service(\"b\") }", "service() inside braces at offset 15");
    check("edge(\"a\")", "at offset 8 (expected: ',' between the two nodes of edge(a, b))");
    check("service(id(type: \"AWS::DynamoDB::Table\"))", "is not a type Kansoku knows at offset 17");
    check("root", "'root' outside service() { } at offset 0");
    check("AND fault", "unexpected 'AND' at offset 0");
  }

  @Test
  void compiledFiltersMatchAsIntended() {
    // One end-to-end sanity check through the shared matcher: the root's 429 is an error and a throttle.
    SpanRecord s = SpanRecord.builder().traceId(dev.kansoku.model.TraceId.parse("1-5759e988-bd862e3fe1be46a994272793"))
        .spanId(dev.kansoku.model.SpanId.parse("defdfd9912dc5a56")).serviceName("a").name("GET").startNanos(1)
        .endNanos(2).httpStatus(429).build();
    dev.kansoku.store.Trace t = dev.kansoku.store.Trace.of(List.of(s));
    assertThat(dev.kansoku.store.TraceMatcher.test(FilterExpressions.compile("throttle AND error AND !fault"), t)).isTrue();
    assertThat(dev.kansoku.store.TraceMatcher.test(FilterExpressions.compile("ok"), t)).isFalse();
    assertThat(dev.kansoku.store.TraceMatcher.test(FilterExpressions.compile("http.status >= 400 AND http.status < 500"), t))
        .isTrue();
  }
}
