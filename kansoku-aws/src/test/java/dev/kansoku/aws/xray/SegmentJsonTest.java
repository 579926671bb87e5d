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

  @Test
  void in_progress_in_place_of_end_time_and_metadata_json_as_go_reencodes_it() throws Exception {
    Segment s = new Segment();
    s.name = "dice";
    s.id = "5fa6a0b3e8a6b0e4";
    s.traceId = "1-655415c5-f8ce3ffe767daf7d6ef94d72";
    s.startTime = 1_700_000_000.25;
    s.endTime = 1_700_000_001.0;
    s.inProgress = true;
    // Go decodes a metadata namespace into map[string]any: float64 numbers, keys sorted when re-encoded.
    s.metadata = new TreeMap<>(Map.of("sdk", new TreeMap<>(Map.of("conn",
        SegmentJson.MAPPER.readTree("{\"z\":1.0,\"a\":12345678901234567890,\"m\":[2.50,\"x\"]}")))));

    assertThat(SegmentJson.write(s)).isEqualTo("{\"name\":\"dice\",\"id\":\"5fa6a0b3e8a6b0e4\","
        + "\"start_time\":1700000000.25,\"trace_id\":\"1-655415c5-f8ce3ffe767daf7d6ef94d72\",\"in_progress\":true,"
        + "\"fault\":false,\"error\":false,\"throttle\":false,"
        + "\"metadata\":{\"sdk\":{\"conn\":{\"a\":12345678901234567000,\"m\":[2.5,\"x\"],\"z\":1}}}}\n");
  }
}
