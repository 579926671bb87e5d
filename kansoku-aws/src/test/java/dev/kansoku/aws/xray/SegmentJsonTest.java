package dev.kansoku.aws.xray;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Segment documents byte for byte as Go's encoding/json writes them, where a tree comparison cannot see. */
class SegmentJsonTest {
  @Test
  void strings_and_numbers_in_go_form() {
    Segment s = new Segment();
    s.name = "dice<server>&co";
    s.id = "5fa6a0b3e8a6b0e4";
    s.traceId = "1-655415c5-f8ce3ffe767daf7d6ef94d72";
    s.startTime = 1_700_000_000.5;
    s.endTime = 1_700_000_001.0;
    s.annotations = new TreeMap<>(Map.of("tiny", 1e-7, "bell", "\b\f\u0001"));

    String doc = SegmentJson.write(s);

    assertThat(doc).startsWith("{\"name\":\"dice\\u003cserver\\u003e\\u0026co\",\"id\":\"5fa6a0b3e8a6b0e4\","
        + "\"start_time\":1700000000.5,");
    assertThat(doc).contains("\"end_time\":1700000001,");
    assertThat(doc).contains("\"annotations\":{\"bell\":\"\\b\\f\\u0001\",\"tiny\":1e-7}");
  }
}
