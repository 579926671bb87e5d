package dev.kansoku.otlp;

/**
 * The heap a request takes while it is in flight, as the receivers ask the memory_limiter for it:
 * the body as received, plus the decoded body times what it costs on its way through the pipeline.
 * Decoded protobuf objects take about three times their wire size (object headers, per-field boxes
 * and lists), and a synchronous exporter holds them while it builds its own form (the store's
 * records and WAL frame: about three times more), so protobuf counts six times. OTLP/JSON is larger
 * on the wire than the objects it becomes, so it counts four. Estimates, deliberately on the high
 * side: an underestimate is what let large requests together exhaust a 192 MiB heap in the flood test.
 */
final class HeapEstimate {
  private static final long PROTOBUF_FACTOR = 6;
  private static final long JSON_FACTOR = 4;

  private HeapEstimate() {}

  static long request(long receivedBytes, long decodedBytes, boolean json) {
    return receivedBytes + decodedBytes * (json ? JSON_FACTOR : PROTOBUF_FACTOR);
  }
}
