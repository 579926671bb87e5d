package dev.kansoku.aws.xrayreceiver;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The daemon protocol's framing: a JSON header line, {@code {"format": "json", "version": 1}}, a
 * newline, then one segment document. A datagram without a valid header is rejected before the body
 * is parsed, as the reference's tracesegment.SplitHeaderBody and udppoller reject it.
 */
final class SegmentDatagram {
  /** The daemon's receive buffer: larger datagrams are truncated by the kernel and fail to parse. */
  static final int MAX_SIZE = 64 * 1024;

  // Anything after the header's JSON value fails it, as in Go's json.Unmarshal.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private SegmentDatagram() {}

  /** The offset of the segment document in {@code data[0..length)}, after a valid header. */
  static int bodyOffset(byte[] data, int length) throws InvalidSegmentException {
    int newline = -1;
    for (int i = 0; i < length; i++) {
      if (data[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      throw new InvalidSegmentException("no header line (expected: {\"format\": \"json\", \"version\": 1} and a"
          + " newline before the segment document), got " + preview(data, length));
    }
    JsonNode header;
    try {
      header = MAPPER.readTree(data, 0, newline);
    } catch (IOException e) {
      throw new InvalidSegmentException("header " + preview(data, newline) + " is not JSON (expected: {\"format\":"
          + " \"json\", \"version\": 1})");
    }
    // As the reference's Header.IsValid: the format "json" in any case, version 1. Go's decoder also
    // matches the keys in any case.
    JsonNode format = field(header, "format");
    JsonNode version = field(header, "version");
    if (format == null || !format.isTextual() || !"json".equalsIgnoreCase(format.asText())
        || version == null || !version.isIntegralNumber() || version.asLong() != 1) {
      throw new InvalidSegmentException("header " + preview(data, newline) + " (expected: {\"format\": \"json\","
          + " \"version\": 1})");
    }
    if (newline + 1 >= length) {
      throw new InvalidSegmentException("header without a segment document");
    }
    return newline + 1;
  }

  /** The value of the last key equal to {@code name} ignoring case, as Go's json.Unmarshal picks it. */
  @Nullable
  private static JsonNode field(@Nullable JsonNode obj, String name) {
    JsonNode value = null;
    if (obj != null && obj.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equalsIgnoreCase(name)) {
          value = e.getValue();
        }
      }
    }
    return value;
  }

  /** The first bytes of a bad datagram for a log line, never the whole 64 KB. */
  static String preview(byte[] data, int length) {
    int n = Math.min(length, 80);
    String s = new String(Arrays.copyOf(data, n), StandardCharsets.UTF_8)
        .replaceAll("\\p{Cntrl}", "?");
    return "\"" + s + (length > n ? "…" : "") + "\"";
  }
}
