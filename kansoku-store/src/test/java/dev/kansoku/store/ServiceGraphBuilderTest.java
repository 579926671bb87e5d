package dev.kansoku.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceGraphBuilderTest {
  private static final TraceId TRACE = TraceId.parse("1-655415d0-00000000000000000000b001");
  private static final long T = 1_700_000_000_000_000_000L;

  @Test
  void inferredNode_named_and_typed_as_xray_infers_it() {
    // X-Ray translation: aws.service is the subsegment's name in the aws namespace.
    check(Map.of("aws.service", "DynamoDB", "aws.table_name", "scores"), "scores", "AWS::DynamoDB::Table");
    check(Map.of("aws.service", "dynamodb", "aws.operation", "ListTables"), "DynamoDB", "AWS::DynamoDB");
    check(Map.of("aws.service", "SQS", "aws.queue_url", "https://sqs.us-east-1.amazonaws.com/123456789012/jobs"),
        "jobs", "AWS::SQS::Queue");
    check(Map.of("aws.service", "STS"), "STS", "AWS::STS");
    // OpenTelemetry AWS SDK instrumentation (the ADOT Java agent); arrays arrive as their JSON text.
    check(Map.of("rpc.system", "aws-api", "rpc.service", "DynamoDb", "aws.dynamodb.table_names", "[\"scores\"]",
        "server.address", "dynamodb.us-east-1.amazonaws.com"), "scores", "AWS::DynamoDB::Table");
    check(Map.of("rpc.system", "aws-api", "rpc.service", "DynamoDb", "aws.dynamodb.table_names", "[\"a\",\"b\"]"),
        "DynamoDB", "AWS::DynamoDB");
    check(Map.of("rpc.system", "aws-api", "rpc.service", "S3", "aws.bucket.name", "dice-images"), "dice-images",
        "AWS::S3::Bucket");
    check(Map.of("rpc.system", "aws-api", "rpc.service", "Sns", "aws.sns.topic.arn",
        "arn:aws:sns:us-east-1:123456789012:rolls"), "rolls", "AWS::SNS::Topic");
    check(Map.of("rpc.system", "aws-api", "rpc.service", "Lambda", "aws.lambda.function.name", "scorer"), "scorer",
        "AWS::Lambda::Function");
    check(Map.of("rpc.system", "aws-api", "rpc.service", "Kinesis", "aws.stream.name", "clicks"), "clicks",
        "AWS::Kinesis::Stream");
    check(Map.of("rpc.system", "aws-api", "rpc.service", "Sqs", "aws.queue.url",
        "https://sqs.us-east-1.amazonaws.com/123456789012/jobs/"), "jobs", "AWS::SQS::Queue");
    // ADOT Application Signals says type and name itself.
    check(Map.of("aws.remote.resource.type", "AWS::DynamoDB::Table", "aws.remote.resource.identifier", "scores",
        "rpc.system", "aws-api", "rpc.service", "DynamoDb"), "scores", "AWS::DynamoDB::Table");
    // Everything else is a remote named by its peer.
    check(Map.of("peer.service", "billing", "server.address", "10.0.0.1"), "billing", "remote");
    check(Map.of("server.address", "scores-db", "db.system", "postgresql"), "scores-db", "remote");
    check(Map.of("http.url", "https://api.example.com/health?x=1"), "api.example.com", "remote");
    check(Map.of("url.full", "not a url", "db.system", "redis"), "redis", "remote");
  }

  @Test
  void span_without_peer_makes_no_node() {
    ServiceGraph g = graph(span(1, null, "dice", SpanKind.SERVER, Map.of()),
        span(2, 1L, "dice", SpanKind.CLIENT, Map.of("url.full", "relative/path")));
    assertThat(g.nodes()).extracting(ServiceGraph.Node::name).containsExactly("dice");
    assertThat(g.edges()).isEmpty();
  }

  @Test
  void subsegment_takes_its_segments_service_through_the_chain() {
    Trace t = Trace.of(List.of(span(1, null, "front", SpanKind.SERVER, Map.of()),
        span(2, 1L, "## work", SpanKind.INTERNAL, Map.of()),
        span(3, 2L, "DynamoDB", SpanKind.CLIENT, Map.of("aws.service", "DynamoDB")),
        span(4, 3L, "back", SpanKind.SERVER, Map.of()),
        span(5, 4L, "api.example.com", SpanKind.CLIENT, Map.of()),
        span(6, 99L, "orphan", SpanKind.CLIENT, Map.of())));
    assertThat(t.services()).containsExactlyInAnyOrderEntriesOf(Map.of(new SpanId(1), "front", new SpanId(2), "front",
        new SpanId(3), "front", new SpanId(4), "back", new SpanId(5), "back", new SpanId(6), "orphan"));
    assertThat(t.summary().services()).containsExactly("back", "front", "orphan");
  }

  @Test
  void parent_loop_ends() {
    Trace t = Trace.of(List.of(span(1, 2L, "a", SpanKind.INTERNAL, Map.of()),
        span(2, 1L, "b", SpanKind.INTERNAL, Map.of())));
    assertThat(t.services().values()).hasSize(2).allMatch(s -> s.equals("a") || s.equals("b"));
  }

  @Test
  void independent_subsegment_without_peer_names_the_remote_by_its_own_name() {
    ServiceGraph g = graph(span(1, null, "dice-server", SpanKind.SERVER, Map.of()),
        span(2, 1L, "cache", SpanKind.CLIENT, Map.of()));
    assertThat(g.nodes()).extracting(ServiceGraph.Node::name, ServiceGraph.Node::remote)
        .containsExactly(tuple("cache", true), tuple("dice-server", false));
    assertThat(g.edges()).extracting(ServiceGraph.Edge::from, ServiceGraph.Edge::to)
        .containsExactly(tuple("dice-server", "cache"));
  }

  @Test
  void edge_to_inferred_node_starts_at_the_resolved_service() {
    ServiceGraph g = graph(span(1, null, "scorekeep", SpanKind.SERVER, Map.of()),
        span(2, 1L, "DynamoDB", SpanKind.CLIENT, Map.of("aws.service", "DynamoDB", "aws.table_name", "state")));
    assertThat(g.nodes()).extracting(ServiceGraph.Node::name, ServiceGraph.Node::type)
        .containsExactly(tuple("scorekeep", "service"), tuple("state", "AWS::DynamoDB::Table"));
    assertThat(g.edges()).extracting(ServiceGraph.Edge::from, ServiceGraph.Edge::to)
        .containsExactly(tuple("scorekeep", "state"));
  }

  private static void check(Map<String, Object> attributes, String name, String type) {
    ServiceGraph g = graph(span(1, null, "caller", SpanKind.SERVER, Map.of()),
        span(2, 1L, "caller", SpanKind.CLIENT, attributes));
    assertThat(g.nodes()).as("%s", attributes).extracting(ServiceGraph.Node::name, ServiceGraph.Node::type)
        .containsExactlyInAnyOrder(tuple("caller", "service"), tuple(name, type));
  }

  private static ServiceGraph graph(SpanRecord... spans) {
    return new ServiceGraphBuilder(T, T + 1_000_000_000L).add(Trace.of(List.of(spans))).build();
  }

  private static SpanRecord span(long id, Long parent, String service, SpanKind kind, Map<String, Object> attributes) {
    return SpanRecord.builder().traceId(TRACE).spanId(new SpanId(id))
        .parentSpanId(parent == null ? null : new SpanId(parent)).serviceName(service).name("op").kind(kind)
        .startNanos(T + id * 1_000_000).endNanos(T + id * 1_000_000 + 500_000).attributes(attributes).build();
  }
}
