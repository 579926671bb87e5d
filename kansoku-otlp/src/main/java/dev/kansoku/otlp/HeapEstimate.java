package dev.kansoku.otlp;

/**
 * The heap a request takes while it is in flight, as the receivers ask the memory_limiter for it:
 * the body as received, plus the decoded body times what its decoding costs. Decoded protobuf
 * objects take about three times their wire size (object headers, per-field boxes and lists);
 * OTLP/JSON is larger on the wire than the
 * objects it becomes, so it counts twice. Estimates, deliberately on the high side: an
 * underestimate is what lets many large requests together exhaust the heap.
 */
final class HeapEstimate {
  private static final long PROTOBUF_FACTOR = 3;
  private static final long JSON_FACTOR = 2;

  private HeapEstimate() {}

  static long request(long receivedBytes, long decodedBytes, boolean json) {
    return receivedBytes + decodedBytes * (json ? JSON_FACTOR : PROTOBUF_FACTOR);
  }
}
