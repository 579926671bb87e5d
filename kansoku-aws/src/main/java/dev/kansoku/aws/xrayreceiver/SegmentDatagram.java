package dev.kansoku.aws.xrayreceiver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The daemon protocol's framing: a JSON header line, {@code {"format": "json", "version": 1}}, a
 * newline, then one segment document. The SDKs write exactly that; anything else is rejected before
 * the body is parsed.
 */
final class SegmentDatagram {
  /** The daemon's receive buffer: larger datagrams are truncated by the kernel and fail to parse. */
  static final int MAX_SIZE = 64 * 1024;

  private static final ObjectMapper MAPPER = new ObjectMapper();

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
    if (header == null || !header.path("format").isTextual() || !"json".equals(header.get("format").asText())
        || !header.path("version").isIntegralNumber() || header.get("version").asLong() != 1) {
      throw new InvalidSegmentException("header " + preview(data, newline) + " (expected: {\"format\": \"json\","
          + " \"version\": 1})");
    }
    if (newline + 1 >= length) {
      throw new InvalidSegmentException("header without a segment document");
    }
    return newline + 1;
  }

  /** The first bytes of a bad datagram for a log line, never the whole 64 KB. */
  static String preview(byte[] data, int length) {
    int n = Math.min(length, 80);
    String s = new String(Arrays.copyOf(data, n), StandardCharsets.UTF_8)
        .replaceAll("\\p{Cntrl}", "?");
    return "\"" + s + (length > n ? "…" : "") + "\"";
  }
}
