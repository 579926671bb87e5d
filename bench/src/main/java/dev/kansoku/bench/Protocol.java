package dev.kansoku.bench;

/** How the load generator sends OTLP: the three transports of the OTLP specification. */
enum Protocol {
  GRPC("grpc", 4317),
  HTTP_PROTO("http-proto", 4318),
  HTTP_JSON("http-json", 4318);

  private final String flag;
  private final int defaultPort;

  Protocol(String flag, int defaultPort) {
    this.flag = flag;
    this.defaultPort = defaultPort;
  }

  String flag() {
    return flag;
  }

  String defaultEndpoint() {
    return "http://127.0.0.1:" + defaultPort;
  }

  String path(OtlpSignal signal) {
    return this == GRPC ? signal.grpcPath() : signal.httpPath();
  }

  String contentType() {
    return switch (this) {
      case GRPC -> "application/grpc";
      case HTTP_PROTO -> "application/x-protobuf";
      case HTTP_JSON -> "application/json";
    };
  }

  static Protocol byFlag(String flag) {
    for (Protocol p : values()) {
      if (p.flag.equals(flag)) {
        return p;
      }
    }
    throw new IllegalArgumentException("--protocol: " + flag + " (expected: grpc, http-proto or http-json)");
  }
}
