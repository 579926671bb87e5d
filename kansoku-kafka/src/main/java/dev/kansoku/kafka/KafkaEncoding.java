package dev.kansoku.kafka;

import com.google.protobuf.Internal;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.kansoku.otlp.InvalidOtlpException;
import dev.kansoku.otlp.OtlpJson;
import dev.kansoku.pipeline.Signal;
import java.util.Arrays;
import java.util.List;

/**
 * The message value formats Kansoku reads and writes: the OTLP export request of the signal, as
 * protobuf ({@code otlp_proto}, the collector's default) or as OTLP/JSON ({@code otlp_json}).
 */
enum KafkaEncoding {
  OTLP_PROTO("otlp_proto"),
  OTLP_JSON("otlp_json");

  /** The collector's other encodings, named in the error so a user sees the choice was deliberate. */
  private static final List<String> OTHERS = List.of("raw", "text", "json", "jaeger_proto", "jaeger_json",
      "zipkin_proto", "zipkin_json", "zipkin_thrift", "azure_resource_logs");

  private final String key;

  KafkaEncoding(String key) {
    this.key = key;
  }

  String key() {
    return key;
  }

  /**
   * The encoding named {@code key}.
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  static KafkaEncoding of(String key) {
    for (KafkaEncoding e : values()) {
      if (e.key.equals(key)) {
        return e;
      }
    }
    String known = Arrays.stream(values()).map(KafkaEncoding::key).toList().toString();
    if (OTHERS.contains(key)) {
      throw new IllegalArgumentException("\"" + key + "\" is not supported by Kansoku (expected: one of " + known + ")");
    }
    throw new IllegalArgumentException("\"" + key + "\" (expected: one of " + known + ")");
  }

  byte[] encode(Message request) {
    return this == OTLP_PROTO ? request.toByteArray() : OtlpJson.write(request);
  }

  /**
   * Parses one message value as the export request of {@code signal}.
   *
   * @throws IllegalArgumentException saying why the bytes are not such a request
   */
  <T> T decode(Signal<T> signal, byte[] value) {
    Class<? extends Message> type = signal.dataType().asSubclass(Message.class);
    try {
      Message m = this == OTLP_JSON ? OtlpJson.parse(type, value)
          : Internal.getDefaultInstance(type).getParserForType().parseFrom(value);
      return signal.dataType().cast(m);
    } catch (InvalidOtlpException | InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("not an " + key + " " + signal + " request: " + e.getMessage(), e);
    }
  }
}
