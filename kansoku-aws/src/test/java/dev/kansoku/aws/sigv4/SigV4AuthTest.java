package dev.kansoku.aws.sigv4;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kansoku.pipeline.ClientAuthenticator.ClientRequest;
import dev.kansoku.pipeline.config.ConfigBinder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SigV4AuthTest {
  private static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  @BeforeAll
  static void credentials() {
    System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
    System.setProperty("aws.secretAccessKey", SECRET);
  }

  @AfterAll
  static void clear() {
    System.clearProperty("aws.accessKeyId");
    System.clearProperty("aws.secretAccessKey");
  }

  private static SigV4Auth auth(String yaml) throws Exception {
    SigV4AuthConfig c = ConfigBinder.bind(new ObjectMapper(new YAMLFactory()).readTree(yaml), new SigV4AuthConfig(),
        "extensions::sigv4auth");
    SigV4Auth a = new SigV4Auth(c, name -> null);
    a.start(null);
    return a;
  }

  @Test
  void signsXrayOtlpRequest_verifiableFromTheSpec() throws Exception {
    SigV4Auth a = auth("{}");
    byte[] body = "otlp-protobuf-bytes".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/x-protobuf"));
    Map<String, String> added = a.headers(new ClientRequest("POST",
        URI.create("https://xray.us-west-2.amazonaws.com/v1/traces"), headers, body));
    assertThat(added.get("Authorization"))
        .matches("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/us-west-2/xray/aws4_request, SignedHeaders=.*host.*,"
            + " Signature=[0-9a-f]{64}");
    added.forEach((k, v) -> headers.put(k.toLowerCase(), v));
    headers.put("host", "xray.us-west-2.amazonaws.com");

    SigV4Verifier.Signer signer = SigV4Verifier.verify("POST", "/v1/traces", null, headers, body,
        id -> id.equals("AKIDEXAMPLE") ? "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" : null);
    assertThat(signer).isEqualTo(new SigV4Verifier.Signer("AKIDEXAMPLE", "us-west-2", "xray"));

    assertThatThrownBy(() -> SigV4Verifier.verify("POST", "/v1/traces", null, headers, "tampered".getBytes(),
        id -> "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
        .hasMessage("The provided 'x-amz-content-sha256' header does not match what was computed.")
        .extracting(e -> ((SigV4Verifier.Rejected) e).reason()).isEqualTo(SigV4Verifier.Reason.MISMATCH);
    assertThatThrownBy(() -> SigV4Verifier.verify("POST", "/v1/traces", null, headers, body, id -> "other-secret"))
        .hasMessage("The request signature we calculated does not match the signature you provided. Check your AWS"
            + " Secret Access Key and signing method. Consult the service documentation for details.")
        .extracting(e -> ((SigV4Verifier.Rejected) e).reason()).isEqualTo(SigV4Verifier.Reason.MISMATCH);
    assertThatThrownBy(() -> SigV4Verifier.verify("POST", "/v1/traces", null, headers, body, id -> null))
        .hasMessage("The security token included in the request is invalid")
        .extracting(e -> ((SigV4Verifier.Rejected) e).reason()).isEqualTo(SigV4Verifier.Reason.UNKNOWN_KEY);
    Map<String, String> unsigned = new HashMap<>(headers);
    unsigned.remove("authorization");
    assertThatThrownBy(() -> SigV4Verifier.verify("POST", "/v1/traces", null, unsigned, body, id -> "x"))
        .extracting(e -> ((SigV4Verifier.Rejected) e).reason()).isEqualTo(SigV4Verifier.Reason.MISSING);
    unsigned.put("authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE");
    assertThatThrownBy(() -> SigV4Verifier.verify("POST", "/v1/traces", null, unsigned, body, id -> "x"))
        .extracting(e -> ((SigV4Verifier.Rejected) e).reason()).isEqualTo(SigV4Verifier.Reason.MALFORMED);
  }

  /** The rules AWS adds to the signature itself, on a request the SDK's signer signed correctly. */
  @Test
  void verify_refusesWhatAwsRefuses() throws Exception {
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    Map<String, String> headers = new HashMap<>(Map.of("content-type", "application/x-amz-json-1.1",
        "x-amz-target", "Logs_20140328.DescribeLogGroups"));
    auth("{}").headers(new ClientRequest("POST", URI.create("https://logs.us-west-2.amazonaws.com/"), headers, body))
        .forEach((k, v) -> headers.put(k.toLowerCase(), v));
    headers.put("host", "logs.us-west-2.amazonaws.com");
    assertThat(headers.get("authorization")).contains("SignedHeaders=content-type;host;x-amz-content-sha256;"
        + "x-amz-date;x-amz-target,");
    assertThat(SigV4Verifier.verify("POST", "/", null, headers, body, id -> SECRET).service()).isEqualTo("logs");

    check(headers, body, Map.of("x-amz-security-token", "token"), SigV4Verifier.Reason.MISMATCH,
        "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.");
    check(headers, body, Map.of("x-amz-content-sha256", "UNSIGNED-PAYLOAD"), SigV4Verifier.Reason.MISMATCH,
        "x-amz-content-sha256 'UNSIGNED-PAYLOAD' is for Amazon S3 only; this service signs the SHA-256 of the body");
    check(headers, body, Map.of("x-amz-content-sha256", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"),
        SigV4Verifier.Reason.MISMATCH, "x-amz-content-sha256 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' is for Amazon S3"
            + " only; this service signs the SHA-256 of the body");
    check(headers, body, Map.of("authorization", headers.get("authorization").replace(";host;", ";")),
        SigV4Verifier.Reason.MISMATCH, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    check(headers, body, Map.of("authorization", headers.get("authorization").replace(";x-amz-target,", ",")),
        SigV4Verifier.Reason.MISMATCH, "'X-Amz-Target' must be a 'SignedHeader' in the AWS Authorization.");
    Map<String, String> noType = new HashMap<>(headers);
    noType.remove("content-type");
    assertThatThrownBy(() -> SigV4Verifier.verify("POST", "/", null, noType, body, id -> SECRET))
        .hasMessage("'content-type' is named as a SignedHeader, but it does not exist in the HTTP request.")
        .extracting(e -> ((SigV4Verifier.Rejected) e).reason()).isEqualTo(SigV4Verifier.Reason.MALFORMED);
  }

  /** The signed request with some headers replaced or added is refused for this reason. */
  private static void check(Map<String, String> signed, byte[] body, Map<String, String> changes,
      SigV4Verifier.Reason reason, String message) {
    Map<String, String> headers = new HashMap<>(signed);
    headers.putAll(changes);
    assertThatThrownBy(() -> SigV4Verifier.verify("POST", "/", null, headers, body, id -> SECRET))
        .hasMessage(message)
        .extracting(e -> ((SigV4Verifier.Rejected) e).reason()).isEqualTo(reason);
  }

  @Test
  void serviceAndRegion_fromHostOrConfig() throws Exception {
    SigV4Auth inferred = auth("{}");
    assertThat(inferred.service("logs.eu-west-1.amazonaws.com")).isEqualTo("logs");
    assertThat(inferred.region("logs.eu-west-1.amazonaws.com")).isEqualTo("eu-west-1");
    // Amazon Managed Prometheus signs as "aps", an OpenSearch domain as "es" (the collector's mapping).
    assertThat(inferred.service("aps-workspaces.us-west-2.amazonaws.com")).isEqualTo("aps");
    assertThat(inferred.region("aps-workspaces.us-west-2.amazonaws.com")).isEqualTo("us-west-2");
    assertThat(inferred.service("search-logs-abc123.eu-central-1.es.amazonaws.com")).isEqualTo("es");
    assertThat(inferred.region("search-logs-abc123.eu-central-1.es.amazonaws.com")).isEqualTo("eu-central-1");
    assertThatThrownBy(() -> inferred.service("localhost"))
        .hasMessage("sigv4auth: cannot tell the service from \"localhost\"; set service (e.g. xray or logs)");
    SigV4Auth fixed = auth("{service: xray, region: ap-northeast-1}");
    assertThat(fixed.service("localhost")).isEqualTo("xray");
    assertThat(fixed.region("localhost")).isEqualTo("ap-northeast-1");
  }

  @Test
  void config_unknownKey() {
    assertThatThrownBy(() -> auth("{regoin: us-west-2}"))
        .hasMessage("extensions::sigv4auth: unknown key \"regoin\", did you mean \"region\"?");
  }
}
