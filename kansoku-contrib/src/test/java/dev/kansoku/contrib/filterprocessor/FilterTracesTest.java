package dev.kansoku.contrib.filterprocessor;

import static dev.kansoku.contrib.attraction.TestAttrs.attrs;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kansoku.contrib.TestService;
import dev.kansoku.pipeline.Signal;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Upstream's traces cases (traces_test.go): legacy spans include/exclude, then OTTL on spans and span events. */
class FilterTracesTest {
  private static ExportTraceServiceRequest traces(String[]... services) {
    ExportTraceServiceRequest.Builder b = ExportTraceServiceRequest.newBuilder();
    for (String[] s : services) {
      b.addResourceSpans(ResourceSpans.newBuilder()
          .setResource(Resource.newBuilder().addAllAttributes(attrs("service.name", s[0])))
          .addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("otel")
              .setVersion("11")).addSpans(Span.newBuilder().setName("test!").addAllAttributes(s.length > 1
                  ? attrs("db.type", s[1]) : List.of()))));
    }
    return b.build();
  }

  private static int spans(String filter, ExportTraceServiceRequest in) throws Exception {
    try (TestService s = FilterPipelines.start("traces", filter)) {
      return s.send(Signal.TRACES, in).stream().mapToInt(Signal.TRACES::count).sum();
    }
  }

  @Test
  void legacySpans_asUpstream() throws Exception {
    ExportTraceServiceRequest redis = traces(new String[] {"test_service", "redis"});
    String redisMatch = "{match_type: strict, attributes: [{key: db.type, value: redis}]}";
    assertThat(spans("spans: {exclude: " + redisMatch + "}", redis)).isZero();
    assertThat(spans("spans: {include: " + redisMatch + "}", redis)).isEqualTo(1);
    assertThat(spans("spans: {include: {match_type: strict, services: [keep]}}",
        traces(new String[] {"keep"}, new String[] {"dont_keep"}, new String[] {"keep"}))).isEqualTo(2);
  }

  private static final byte[] TRACE_ID = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

  private static Span spanOne() {
    return Span.newBuilder().setName("operationA").setSpanId(ByteString.copyFrom(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))
        .setParentSpanId(ByteString.copyFrom(new byte[] {8, 7, 6, 5, 4, 3, 2, 1})).setTraceId(ByteString.copyFrom(TRACE_ID))
        .setStartTimeUnixNano(1_581_452_772_000_000_321L).setEndTimeUnixNano(1_581_452_773_000_000_789L)
        .setDroppedAttributesCount(1).setDroppedLinksCount(1).setDroppedEventsCount(1).setKindValue(1)
        .setTraceState("new").addAllAttributes(attrs("http.method", "get", "http.path", "/health", "http.url",
            "http://localhost/health", "flags", "A|B|C"))
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("status-cancelled")).build();
  }

  private static Span spanTwo() {
    return Span.newBuilder().setName("operationB").setStartTimeUnixNano(1_581_452_772_000_000_321L)
        .setEndTimeUnixNano(1_581_452_773_000_000_789L).addAllAttributes(attrs("http.method", "get", "http.path",
            "/health", "http.url", "http://localhost/health", "flags", "C|D"))
        .addLinks(Span.Link.newBuilder().setDroppedAttributesCount(4))
        .addLinks(Span.Link.newBuilder().setDroppedAttributesCount(4)).setDroppedLinksCount(3)
        .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("status-cancelled"))
        .addEvents(Span.Event.newBuilder().setName("spanEventA")).build();
  }

  private static ExportTraceServiceRequest constructTraces(UnaryOperator<List<Span>> edit) {
    ResourceSpans.Builder rs = ResourceSpans.newBuilder().setResource(Resource.newBuilder()
        .addAllAttributes(attrs("host.name", "localhost")));
    for (String scope : List.of("scope1", "scope2")) {
      rs.addScopeSpans(ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(scope))
          .addAllSpans(edit.apply(List.of(spanOne(), spanTwo()))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(rs).build();
  }

  private static void check(String filter, UnaryOperator<List<Span>> expected) throws Exception {
    try (TestService s = FilterPipelines.start("traces", filter)) {
      List<ExportTraceServiceRequest> out = s.send(Signal.TRACES, constructTraces(l -> l));
      if (expected == null) {
        assertThat(out).as(filter).isEmpty();
      } else {
        assertThat(out).as(filter).containsExactly(constructTraces(expected));
      }
    }
  }

  @Test
  void ottlSpansAndSpanEvents_asUpstream() throws Exception {
    check("traces: {span: ['name == \"operationA\"']}", l -> l.subList(1, 2));
    check("traces: {span: ['IsMatch(name, \"operation.*\")']}", null);
    check("traces: {spanevent: ['name == \"spanEventA\"']}",
        l -> List.of(l.get(0), l.get(1).toBuilder().clearEvents().build()));
    check("traces: {span: ['name == \"operationZ\"', 'span_id != nil']}", null);
  }

  @Test
  void ottlPathsAndOperators() throws Exception {
    check("traces: {span: ['kind == SPAN_KIND_INTERNAL']}", l -> l.subList(1, 2));
    check("traces: {span: ['kind != SPAN_KIND_INTERNAL and status.code == STATUS_CODE_ERROR']}", l -> l.subList(0, 1));
    check("traces: {span: ['attributes[\"flags\"] == \"C|D\" or instrumentation_scope.name == \"none\"']}",
        l -> l.subList(0, 1));
    check("traces: {span: ['not (resource.attributes[\"host.name\"] == \"localhost\")']}", l -> l);
    check("traces: {span: ['span.start_time_unix_nano > 1581452772000000000 and trace_id.string =="
        + " \"0102030405060708090a0b0c0d0e0f10\"']}", l -> l.subList(1, 2));
    check("traces: {spanevent: ['span.name == \"operationB\"']}",
        l -> List.of(l.get(0), l.get(1).toBuilder().clearEvents().build()));
    check("traces: {resource: ['attributes[\"host.name\"] == \"localhost\"']}", null);
  }
}
