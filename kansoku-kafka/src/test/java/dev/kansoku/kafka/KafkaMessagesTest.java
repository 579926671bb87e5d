package dev.kansoku.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.testing.TestData;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class KafkaMessagesTest {
  /** Two resources, two scopes each, spans of traces 0..2 interleaved; a status, as OTLP/JSON always has one. */
  private static ExportTraceServiceRequest interleaved() {
    ExportTraceServiceRequest.Builder b = TestData.traces(2, 2, 6, 0).toBuilder();
    for (ResourceSpans.Builder rs : b.getResourceSpansBuilderList()) {
      rs.getScopeSpansBuilderList().forEach(ss -> {
        for (int i = 0; i < ss.getSpansCount(); i++) {
          ss.getSpansBuilder(i).setTraceId(TestData.traceId(i % 3)).getStatusBuilder().setCode(StatusCode.STATUS_CODE_OK);
        }
      });
    }
    return b.build();
  }

  @Test
  void traceIdKeying_oneMessagePerTrace_keepsResourceAndScope() throws Exception {
    ExportTraceServiceRequest request = interleaved();
    KafkaMessages.Result r = new KafkaMessages(1 << 20).messages(Signal.TRACES, request, KafkaEncoding.OTLP_PROTO,
        KafkaMessages.Keying.TRACE_ID);
    assertThat(r.messages()).hasSize(3);
    assertThat(r.oversizeItems()).isZero();
    List<Span> all = new ArrayList<>();
    for (KafkaMessages.Outgoing m : r.messages()) {
      ExportTraceServiceRequest part = ExportTraceServiceRequest.parseFrom(m.value());
      List<Span> spans = part.getResourceSpansList().stream().flatMap(rs -> rs.getScopeSpansList().stream())
          .flatMap(ss -> ss.getSpansList().stream()).toList();
      assertThat(spans).extracting(Span::getTraceId).containsOnly(spans.get(0).getTraceId());
      assertThat(new String(m.key(), StandardCharsets.UTF_8))
          .isEqualTo(HexFormat.of().formatHex(spans.get(0).getTraceId().toByteArray()));
      assertThat(part.getResourceSpansList()).extracting(rs -> rs.getResource())
          .containsExactlyElementsOf(request.getResourceSpansList().stream().map(ResourceSpans::getResource).toList());
      assertThat(part.getResourceSpans(0).getScopeSpansList()).extracting(ss -> ss.getScope().getName())
          .containsExactly("scope-0", "scope-1");
      assertThat(m.items()).isEqualTo(spans.size());
      all.addAll(spans);
    }
    assertThat(all).hasSize(24).containsExactlyInAnyOrderElementsOf(request.getResourceSpansList().stream()
        .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream()).toList());
  }

  @Test
  void tooLarge_isHalvedUntilItFits_singleOversizeItemCounted() throws Exception {
    ExportTraceServiceRequest request = TestData.traces(1, 1, 40, 0);
    int whole = request.getSerializedSize();
    KafkaMessages.Result r = new KafkaMessages(whole / 3).messages(Signal.TRACES, request, KafkaEncoding.OTLP_PROTO,
        KafkaMessages.Keying.NONE);
    assertThat(r.messages().size()).isBetween(4, 8);
    assertThat(r.messages()).allSatisfy(m -> assertThat(m.value().length).isLessThanOrEqualTo(whole / 3));
    assertThat(r.messages().stream().mapToInt(KafkaMessages.Outgoing::items).sum()).isEqualTo(40);
    assertThat(r.messages()).allSatisfy(m -> assertThat(m.key()).isNull());

    Span big = request.getResourceSpans(0).getScopeSpans(0).getSpans(0).toBuilder()
        .setName("x".repeat(5000)).build();
    ExportTraceServiceRequest withBig = request.toBuilder()
        .setResourceSpans(0, request.getResourceSpans(0).toBuilder().setScopeSpans(0,
            request.getResourceSpans(0).getScopeSpans(0).toBuilder().setSpans(0, big))).build();
    KafkaMessages.Result r2 = new KafkaMessages(4000).messages(Signal.TRACES, withBig, KafkaEncoding.OTLP_PROTO,
        KafkaMessages.Keying.NONE);
    assertThat(r2.oversizeItems()).isEqualTo(1);
    assertThat(r2.largestOversizeBytes()).isGreaterThan(5000);
    assertThat(r2.messages().stream().mapToInt(KafkaMessages.Outgoing::items).sum()).isEqualTo(39);
  }

  @Test
  void resourceKey_ignoresAttributeOrder_differsPerResource() {
    Resource ab = Resource.newBuilder().addAttributes(TestData.attr("a", "1")).addAttributes(TestData.attr("b", "2"))
        .build();
    Resource ba = Resource.newBuilder().addAttributes(TestData.attr("b", "2")).addAttributes(TestData.attr("a", "1"))
        .build();
    assertThat(KafkaMessages.resourceKey(ab)).isEqualTo(KafkaMessages.resourceKey(ba)).hasSize(32);
    assertThat(KafkaMessages.resourceKey(ab)).isNotEqualTo(KafkaMessages.resourceKey(TestData.resource("svc")));
  }

  @Test
  void resourceKeying_groupsLogsOfOneResource() {
    ExportLogsServiceRequest logs = TestData.logs(3, 1, 2, 0);
    ExportLogsServiceRequest twice = logs.toBuilder().addResourceLogs(logs.getResourceLogs(0)).build();
    Map<String, ExportLogsServiceRequest> parts = KafkaMessages.keyed(Signal.LOGS, twice, KafkaMessages.Keying.RESOURCE);
    assertThat(parts).hasSize(3);
    assertThat(parts.values().stream().collect(Collectors.toMap(p -> p.getResourceLogs(0).getResource(),
        ExportLogsServiceRequest::getResourceLogsCount))).containsEntry(logs.getResourceLogs(0).getResource(), 2);
    assertThat(KafkaMessages.keyed(Signal.LOGS, twice, KafkaMessages.Keying.NONE).values()).containsExactly(twice);
  }

  @Test
  void jsonEncoding_roundTrips() {
    ExportTraceServiceRequest request = interleaved();
    byte[] json = KafkaEncoding.OTLP_JSON.encode(request);
    assertThat(new String(json, StandardCharsets.UTF_8)).startsWith("{\"resourceSpans\":");
    assertThat(KafkaEncoding.OTLP_JSON.decode(Signal.TRACES, json)).isEqualTo(request);
    assertThat(KafkaEncoding.OTLP_PROTO.decode(Signal.TRACES, request.toByteArray())).isEqualTo(request);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> KafkaEncoding.OTLP_PROTO.decode(Signal.TRACES,
        ByteString.copyFromUtf8("not protobuf at all").toByteArray()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("not an otlp_proto traces request: ");
  }
}
