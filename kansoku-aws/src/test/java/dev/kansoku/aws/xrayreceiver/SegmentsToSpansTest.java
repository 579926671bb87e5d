package dev.kansoku.aws.xrayreceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The reference's id decoding tests, and what a document of bytes alone can show. */
class SegmentsToSpansTest {
  private static Span translate(String traceId, String id) throws InvalidSegmentException {
    String doc = "{\"name\": \"s\", \"start_time\": 1, \"end_time\": 2"
        + (traceId == null ? "" : ", \"trace_id\": \"" + traceId + "\"")
        + (id == null ? "" : ", \"id\": \"" + id + "\"") + "}";
    byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
    return SegmentsToSpans.translate(bytes, 0, bytes.length).getScopeSpans(0).getSpans(0);
  }

  /** translator_test.go TestDecodeXRayTraceID: normal, invalid format, null. */
  @Test
  void decodeXRayTraceID() throws InvalidSegmentException {
    assertThat(HexFormat.of().formatHex(translate("1-5f84c7a1-e7d1852db8c4fd35d88bf49a", "defdfd9912dc5a56")
        .getTraceId().toByteArray())).isEqualTo("5f84c7a1e7d1852db8c4fd35d88bf49a");
    assertThatThrownBy(() -> translate("1-5f84c7a1-e7d1852db", "defdfd9912dc5a56"))
        .hasMessageStartingWith("trace_id: \"1-5f84c7a1-e7d1852db\" (expected: 1-<8 hex digits>-<24 hex digits>");
    assertThatThrownBy(() -> translate(null, "defdfd9912dc5a56"))
        .hasMessage("trace_id: missing (expected: 1-<8 hex digits>-<24 hex digits>)");
  }

  /** translator_test.go TestDecodeXRaySpanID: normal, invalid format, null. */
  @Test
  void decodeXRaySpanID() throws InvalidSegmentException {
    assertThat(HexFormat.of().formatHex(translate("1-5f84c7a1-e7d1852db8c4fd35d88bf49a", "defdfd9912dc5a56")
        .getSpanId().toByteArray())).isEqualTo("defdfd9912dc5a56");
    assertThatThrownBy(() -> translate("1-5f84c7a1-e7d1852db8c4fd35d88bf49a", "12345566"))
        .hasMessageStartingWith("id: \"12345566\" (expected: 16 hex digits");
    assertThatThrownBy(() -> translate("1-5f84c7a1-e7d1852db8c4fd35d88bf49a", null))
        .hasMessage("id: missing (expected: 16 hex digits)");
  }

  /** Go's decoder reads a string with invalid UTF-8 as U+FFFD instead of refusing the document. */
  @Test
  void invalidUtf8InAString_readAsReplacementCharacter() throws InvalidSegmentException {
    byte[] head = ("{\"trace_id\": \"1-5f84c7a1-e7d1852db8c4fd35d88bf49a\", \"id\": \"defdfd9912dc5a56\","
        + " \"start_time\": 1, \"name\": \"a").getBytes(StandardCharsets.UTF_8);
    byte[] tail = "b\"}".getBytes(StandardCharsets.UTF_8);
    byte[] doc = new byte[head.length + 1 + tail.length];
    System.arraycopy(head, 0, doc, 0, head.length);
    doc[head.length] = (byte) 0xff;
    System.arraycopy(tail, 0, doc, head.length + 1, tail.length);

    Span span = SegmentsToSpans.translate(doc, 0, doc.length).getScopeSpans(0).getSpans(0);

    assertThat(span.getName()).isEqualTo("a\ufffdb");
  }

  @Test
  void invalidUtf8OutsideAString_refused() {
    byte[] doc = {'{', (byte) 0xff, '}'};

    assertThatThrownBy(() -> SegmentsToSpans.translate(doc, 0, doc.length))
        .isInstanceOf(InvalidSegmentException.class)
        .hasMessageStartingWith("segment document is not JSON: ");
  }
}
