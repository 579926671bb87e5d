package dev.kansoku.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaExporterConfigTest {
  private static final KafkaExporterFactory FACTORY = new KafkaExporterFactory();
  @TempDir Path dir;

  private static KafkaExporterConfig bind(String yaml) throws ConfigException {
    return KafkaTesting.bind(FACTORY, "exporters::kafka", yaml);
  }

  private static void check(String yaml, String message) {
    assertThatThrownBy(() -> bind(yaml)).isInstanceOf(ConfigException.class).hasMessage(message);
  }

  @Test
  void defaults_collectorTopicsProtoAcksAll() throws Exception {
    KafkaExporterConfig c = bind("");
    assertThat(c.topic(Signal.TRACES)).isEqualTo("otlp_spans");
    assertThat(c.topic(Signal.METRICS)).isEqualTo("otlp_metrics");
    assertThat(c.topic(Signal.LOGS)).isEqualTo("otlp_logs");
    assertThat(c.encoding(Signal.LOGS)).isEqualTo(KafkaEncoding.OTLP_PROTO);
    Map<String, Object> p = c.producerProperties();
    assertThat(p).containsEntry("bootstrap.servers", "localhost:9092").containsEntry("client.id", "otel-collector")
        .containsEntry("acks", "all").containsEntry("enable.idempotence", true)
        .containsEntry("security.protocol", "PLAINTEXT").containsEntry("max.block.ms", 5000)
        .containsEntry("delivery.timeout.ms", 5005).containsEntry("max.request.size", 1_000_512);
    assertThat(c.sendingQueue.enabled).isFalse();
    assertThat(c.retryOnFailure.enabled).isFalse();
  }

  @Test
  void topicAndEncoding_signalWinsOverTopLevel() throws Exception {
    KafkaExporterConfig c = bind("topic: all\nencoding: otlp_json\ntraces: {topic: spans, encoding: otlp_proto}\n");
    assertThat(c.topic(Signal.TRACES)).isEqualTo("spans");
    assertThat(c.topic(Signal.LOGS)).isEqualTo("all");
    assertThat(c.encoding(Signal.TRACES)).isEqualTo(KafkaEncoding.OTLP_PROTO);
    assertThat(c.encoding(Signal.METRICS)).isEqualTo(KafkaEncoding.OTLP_JSON);
  }

  @Test
  void acksOne_turnsIdempotenceOff() throws Exception {
    assertThat(bind("producer: {required_acks: 1, compression: zstd}").producerProperties())
        .containsEntry("acks", "1").containsEntry("enable.idempotence", false).containsEntry("compression.type", "zstd");
    assertThat(bind("producer: {required_acks: -1}").producerProperties()).containsEntry("acks", "all");
  }

  @Test
  void saslScramWithTls_mapsToKafkaClientProperties() throws Exception {
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Map<String, Object> p = bind("brokers: [b-1.msk:9096]\nauth:\n  sasl: {mechanism: SCRAM-SHA-512, username: otel, "
        + "password: 'pa\"ss'}\ntls:\n  ca_file: " + ca + "\n").producerProperties();
    assertThat(p).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config",
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"otel\" password=\"pa\\\"ss\";")
        .containsEntry("ssl.truststore.type", "PEM")
        .containsEntry("ssl.truststore.certificates", Files.readString(ca));
    assertThat(bind("auth: {plain_text: {username: u, password: p}}").producerProperties())
        .containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "PLAIN");
    assertThat(bind("tls: {insecure: true}").producerProperties()).containsEntry("security.protocol", "PLAINTEXT");
  }

  @Test
  void mutualTls_needsPkcs8Key() throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
    Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----\n");
    KafkaExporterConfig c = bind("tls: {cert_file: " + cert + ", key_file: " + key + "}");
    assertThatThrownBy(c::producerProperties).hasMessage("tls::key_file: \"" + key + "\" is not a PKCS#8 key "
        + "(expected: -----BEGIN PRIVATE KEY-----; convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem)");
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n");
    assertThat(c.producerProperties()).containsEntry("security.protocol", "SSL").containsEntry("ssl.keystore.type", "PEM")
        .containsKey("ssl.keystore.key").containsKey("ssl.keystore.certificate.chain");
  }

  @Test
  void badValues_allReportedWithKeys() {
    check("brokers: [nohost]\nencoding: zipkin_proto\ntimeout: 0s\nproducer: {required_acks: 2, compression: brotli, "
        + "max_message_bytes: 10}\n",
        "exporters::kafka: brokers: \"nohost\" (expected: host:port); encoding: \"zipkin_proto\" is not supported by "
        + "Kansoku (expected: one of [otlp_proto, otlp_json]); timeout: PT0S (expected: > 0); "
        + "producer::max_message_bytes: 10 (expected: >= 1024); producer::required_acks: \"2\" (expected: all, -1, 0 "
        + "or 1); producer::compression: \"brotli\" (expected: none, gzip, snappy, lz4 or zstd)");
    check("auth: {sasl: {mechanism: AWS_MSK_IAM_OAUTHBEARER, aws_msk: {region: us-east-1}}}",
        "exporters::kafka: auth::sasl::mechanism: AWS_MSK_IAM_OAUTHBEARER is not supported by Kansoku (expected: one "
        + "of [PLAIN, SCRAM-SHA-256, SCRAM-SHA-512]; for Amazon MSK use SCRAM-SHA-512 with tls, or mutual TLS with "
        + "tls::cert_file)");
    check("auth: {sasl: {mechanism: PLAIN, username: u}}",
        "exporters::kafka: auth::sasl: username and password are required for PLAIN");
    check("tls: {insecure_skip_verify: true}", "exporters::kafka: tls::insecure_skip_verify: not supported by the "
        + "Kafka client (expected: ca_file with the CA that signed the brokers' certificates)");
  }

  @Test
  void unknownKeys_refusedWithHint() {
    check("producer: {max_mesage_bytes: 5}",
        "exporters::kafka::producer: unknown key \"max_mesage_bytes\", did you mean \"max_message_bytes\"?");
    check("partition_trace_by_id: true",
        "exporters::kafka: unknown key \"partition_trace_by_id\", did you mean \"partition_traces_by_id\"?");
  }
}
