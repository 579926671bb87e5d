package dev.kansoku.kafka;

import dev.kansoku.pipeline.config.TlsClientSettings;
import javax.annotation.Nullable;

/**
 * {@code auth} of the kafka exporter and receiver, with the collector's keys: SASL (PLAIN, SCRAM)
 * and, in its older place, TLS. Amazon MSK takes SASL/SCRAM-SHA-512 with {@code tls} (port 9096)
 * or mutual TLS (port 9094).
 */
final class KafkaAuthSettings {
  /** SASL login. Example: {@code {mechanism: SCRAM-SHA-512, username: otel, password: ${env:KAFKA_PASSWORD}}}. */
  @Nullable Sasl sasl;
  /** Older spelling of SASL/PLAIN: {@code {username, password}}. */
  @Nullable PlainText plainText;
  /** Older place of the client's {@code tls}; the top-level {@code tls} wins when both are set. */
  @Nullable TlsClientSettings tls;

  static final class Sasl {
    /** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. Example: SCRAM-SHA-512. */
    String mechanism = "";
    String username = "";
    String password = "";
    /** SASL handshake version, 0 or 1; kafka-clients negotiates it, so this is only checked. */
    int version;
    /** Settings of AWS_MSK_IAM_OAUTHBEARER, which Kansoku does not offer (the key is accepted to say so). */
    @Nullable AwsMsk awsMsk;
  }

  static final class AwsMsk {
    String region = "";
  }

  static final class PlainText {
    String username = "";
    String password = "";
  }
}
