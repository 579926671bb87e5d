package dev.kansoku.bench;

import com.google.protobuf.Message;
import dev.kansoku.otlp.OtlpJson;
import java.util.ArrayList;
import java.util.List;

/**
 * Export requests built and encoded before a timed phase, so that generating telemetry never limits
 * the send rate. Each request has its own random trace and span ids.
 */
final class RequestPool {
  /**
   * One encoded export request: the exact HTTP body (gRPC-framed for gRPC), where the protobuf
   * message starts in it (5 for gRPC, else 0) and its item count.
   */
  record Request(OtlpSignal signal, byte[] body, int messageOffset, int items) {}

  private final List<Request> requests;
  private final long bytes;

  private RequestPool(List<Request> requests) {
    this.requests = List.copyOf(requests);
    long sum = 0;
    for (Request r : requests) {
      sum += r.body().length;
    }
    this.bytes = sum;
  }

  /**
   * {@code perSignal} requests of {@code items} items for each of {@code signals}, interleaved
   * (traces, logs, metrics, traces, …) so a mixed run sends the signals evenly.
   */
  static RequestPool build(List<OtlpSignal> signals, Protocol protocol, int perSignal, int items, long seed) {
    DiceTelemetry gen = new DiceTelemetry(seed, 8);
    List<Request> out = new ArrayList<>(perSignal * signals.size());
    for (int i = 0; i < perSignal; i++) {
      for (OtlpSignal s : signals) {
        Message m = s.generate(gen, items);
        out.add(new Request(s, encode(protocol, m), protocol == Protocol.GRPC ? 5 : 0, s.count(m)));
      }
    }
    return new RequestPool(out);
  }

  static byte[] encode(Protocol protocol, Message m) {
    return switch (protocol) {
      case GRPC -> grpcFrame(m.toByteArray());
      case HTTP_PROTO -> m.toByteArray();
      case HTTP_JSON -> OtlpJson.write(m);
    };
  }

  /** The gRPC length-prefixed message: flag byte 0 (not compressed), 4-byte big-endian length, message. */
  static byte[] grpcFrame(byte[] message) {
    byte[] framed = new byte[5 + message.length];
    int n = message.length;
    framed[1] = (byte) (n >>> 24);
    framed[2] = (byte) (n >>> 16);
    framed[3] = (byte) (n >>> 8);
    framed[4] = (byte) n;
    System.arraycopy(message, 0, framed, 5, n);
    return framed;
  }

  List<Request> requests() {
    return requests;
  }

  Request get(long index) {
    return requests.get((int) Math.floorMod(index, (long) requests.size()));
  }

  int size() {
    return requests.size();
  }

  long totalBytes() {
    return bytes;
  }

  double averageItems() {
    return requests.stream().mapToInt(Request::items).average().orElse(0);
  }
}
