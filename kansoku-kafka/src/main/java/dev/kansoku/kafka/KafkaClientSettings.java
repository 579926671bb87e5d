package dev.kansoku.kafka;

import dev.kansoku.pipeline.config.TlsClientSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.annotation.Nullable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * What the kafka exporter and receiver share, with the collector's keys: where the brokers are, who
 * the client is, and how it authenticates. Turned into kafka-clients properties in one place.
 */
abstract class KafkaClientSettings {
  /** Bootstrap brokers, host:port. Example: [b-1.msk.example:9096, b-2.msk.example:9096]. */
  List<String> brokers = new ArrayList<>(List.of("localhost:9092"));
  /** Client id the brokers see (quotas, ACLs, logs). Example: otel-collector. */
  String clientId = "otel-collector";
  /**
   * Accepted for compatibility with collector configurations (where it was once required);
   * kafka-clients negotiates protocol versions with the brokers itself. Example: 2.0.0.
   */
  String protocolVersion = "";
  /** SASL and (older place) TLS. */
  KafkaAuthSettings auth = new KafkaAuthSettings();
  /** TLS to the brokers; present means TLS is on unless {@code insecure: true}. Example: {ca_file: ca.pem}. */
  @Nullable TlsClientSettings tls;

  private static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

  /** Adds the problems of these settings to {@code problems}, each with its key. */
  void validateClient(List<String> problems) {
    if (brokers.isEmpty()) {
      problems.add("brokers: empty (expected: at least one host:port)");
    }
    for (String b : brokers) {
      int colon = b.lastIndexOf(':');
      if (colon <= 0 || colon == b.length() - 1 || !b.substring(colon + 1).chars().allMatch(Character::isDigit)) {
        problems.add("brokers: \"" + b + "\" (expected: host:port)");
      }
    }
    if (clientId.isBlank()) {
      problems.add("client_id: empty (expected: a name such as otel-collector)");
    }
    KafkaAuthSettings.Sasl sasl = auth.sasl;
    if (sasl != null) {
      if (sasl.mechanism.equals("AWS_MSK_IAM_OAUTHBEARER") || sasl.mechanism.equals("AWS_MSK_IAM")) {
        problems.add("auth::sasl::mechanism: " + sasl.mechanism + " is not supported by Kansoku (expected: one of "
            + MECHANISMS + "; for Amazon MSK use SCRAM-SHA-512 with tls, or mutual TLS with tls::cert_file)");
      } else if (!MECHANISMS.contains(sasl.mechanism)) {
        problems.add("auth::sasl::mechanism: \"" + sasl.mechanism + "\" (expected: one of " + MECHANISMS + ")");
      } else if (sasl.username.isEmpty() || sasl.password.isEmpty()) {
        problems.add("auth::sasl: username and password are required for " + sasl.mechanism);
      }
      if (sasl.version < 0 || sasl.version > 1) {
        problems.add("auth::sasl::version: " + sasl.version + " (expected: 0 or 1)");
      }
    }
    KafkaAuthSettings.PlainText plain = auth.plainText;
    if (plain != null && (plain.username.isEmpty() || plain.password.isEmpty())) {
      problems.add("auth::plain_text: username and password are required");
    }
    if (sasl != null && plain != null) {
      problems.add("auth: sasl and plain_text cannot both be set (expected: sasl with mechanism PLAIN)");
    }
    TlsClientSettings t = effectiveTls();
    String tlsPath = tls != null ? "tls" : "auth::tls";
    if (t != null) {
      if (t.insecureSkipVerify) {
        problems.add(tlsPath + "::insecure_skip_verify: not supported by the Kafka client (expected: ca_file with "
            + "the CA that signed the brokers' certificates)");
      }
      if (t.certFile.isEmpty() != t.keyFile.isEmpty()) {
        problems.add(tlsPath + ": cert_file and key_file go together (expected: both or neither)");
      }
    }
  }

  @Nullable
  private TlsClientSettings effectiveTls() {
    return tls != null ? tls : auth.tls;
  }

  /**
   * kafka-clients properties for the connection: servers, client id, security protocol, SASL and
   * TLS. Reads the PEM files named by {@code tls}.
   *
   * @throws IllegalArgumentException when a PEM file cannot be read, naming the key
   */
  Map<String, Object> clientProperties() {
    Map<String, Object> p = new TreeMap<>();
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, String.join(",", brokers));
    p.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId);
    TlsClientSettings t = effectiveTls();
    boolean useTls = t != null && !t.insecure;
    String mechanism = null;
    String user = null;
    String password = null;
    if (auth.sasl != null) {
      mechanism = auth.sasl.mechanism;
      user = auth.sasl.username;
      password = auth.sasl.password;
    } else if (auth.plainText != null) {
      mechanism = "PLAIN";
      user = auth.plainText.username;
      password = auth.plainText.password;
    }
    if (mechanism != null) {
      String login = mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
          : "org.apache.kafka.common.security.scram.ScramLoginModule";
      p.put(SaslConfigs.SASL_MECHANISM, mechanism);
      p.put(SaslConfigs.SASL_JAAS_CONFIG, login + " required username=" + jaasQuote(user) + " password="
          + jaasQuote(password) + ";");
    }
    p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
        (mechanism != null ? "SASL_" : "") + (useTls ? "SSL" : "PLAINTEXT"));
    if (useTls) {
      String path = tls != null ? "tls" : "auth::tls";
      if (!t.caFile.isEmpty()) {
        p.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, pem(path + "::ca_file", t.caFile));
      }
      if (!t.certFile.isEmpty()) {
        p.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
        p.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, pem(path + "::cert_file", t.certFile));
        String key = pem(path + "::key_file", t.keyFile);
        if (!key.contains("-----BEGIN PRIVATE KEY-----") && !key.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
          throw new IllegalArgumentException(path + "::key_file: \"" + t.keyFile + "\" is not a PKCS#8 key (expected: "
              + "-----BEGIN PRIVATE KEY-----; convert with: openssl pkcs8 -topk8 -nocrypt -in key.pem)");
        }
        p.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, key);
      }
    }
    return p;
  }

  /** A JAAS option value in double quotes; backslashes and quotes in it are escaped. */
  private static String jaasQuote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static String pem(String key, String file) {
    try {
      return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(key + ": cannot read \"" + file + "\" (expected: a readable PEM file)", e);
    }
  }
}
