package dev.kansoku.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TraceIdTest {
  static final String XRAY = "1-655415c5-f8ce3ffe767daf7d6ef94d72";
  static final String HEX = "655415c5f8ce3ffe767daf7d6ef94d72";

  @Test
  void xray_and_w3c_are_one_value() {
    assertThat(TraceId.parse(XRAY)).isEqualTo(TraceId.parse(HEX));
    assertThat(TraceId.parse(XRAY).hex()).isEqualTo(HEX);
    assertThat(TraceId.parse(HEX).xray()).isEqualTo(XRAY);
    assertThat(TraceId.parse(XRAY).xrayEpochSeconds()).isEqualTo(0x655415c5L);
  }

  @Test
  void parse_normalises_case_and_blanks() {
    assertThat(TraceId.parse(" " + HEX.toUpperCase() + "\n").hex()).isEqualTo(HEX);
    assertThat(TraceId.parse("1-655415C5-F8CE3FFE767DAF7D6EF94D72").xray()).isEqualTo(XRAY);
  }

  @Test
  void bytes_round_trip() {
    TraceId id = TraceId.parse("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(TraceId.fromBytes(id.toBytes())).isEqualTo(id);
    assertThat(id.toString()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
  }

  @Test
  void parse_malformed_names_input_and_forms() {
    assertThatThrownBy(() -> TraceId.parse("1-655415c5-f8ce3ffe767daf7d6ef94d7"))
        .hasMessage("trace id: '1-655415c5-f8ce3ffe767daf7d6ef94d7' is not an X-Ray trace id (expected: "
            + "1-<8 hex digits>-<24 hex digits>, like 1-655415c5-f8ce3ffe767daf7d6ef94d72)");
    assertThatThrownBy(() -> TraceId.parse("xyz"))
        .hasMessage("trace id: 'xyz' (expected: 32 hex digits or the X-Ray form 1-xxxxxxxx-yyyyyyyyyyyyyyyyyyyyyyyy)");
    assertThatThrownBy(() -> TraceId.parse("00000000000000000000000000000000"))
        .hasMessage("trace id: all zeros (W3C calls that invalid)");
    assertThatThrownBy(() -> TraceId.fromBytes(new byte[8])).hasMessage("trace id: 8 bytes (expected: 16)");
  }

  @Test
  void spanId_parse() {
    assertThat(SpanId.parse("ED4719643C9748B6").hex()).isEqualTo("ed4719643c9748b6");
    assertThatThrownBy(() -> SpanId.parse("ed47")).hasMessage("span id: 'ed47' (expected: 16 hex digits)");
    assertThat(SpanId.fromBytesOrNull(new byte[8])).isNull();
    assertThat(SpanId.fromBytesOrNull(new byte[0])).isNull();
  }
}
