package dev.kansoku.store.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.Server;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** What the client puts on the wire for each kind of auth, and how it reports a refusal. */
class OpenSearchClientTest {
  private final AtomicReference<RequestHeaders> seen = new AtomicReference<>();
  private Server server;

  @BeforeEach
  void start() {
    server = Server.builder().http(0)
        .service("/_cluster/health", (ctx, req) -> {
          seen.set(req.headers());
          return HttpResponse.of(HttpStatus.OK, MediaType.JSON, "{\"status\":\"green\"}");
        })
        .service("/missing/_search", (ctx, req) -> HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.JSON,
            "{\"error\":{\"type\":\"index_not_found_exception\",\"reason\":\"no such index [missing]\"},\"status\":404}"))
        .build();
    server.start().join();
  }

  @AfterEach
  void stop() {
    server.stop().join();
  }

  private OpenSearchClient client(OpenSearchClient.Auth auth) {
    return new OpenSearchClient(List.of(URI.create("http://127.0.0.1:" + server.activeLocalPort())), auth, false, null,
        Duration.ofSeconds(5));
  }

  @Test
  void basic_auth_header() {
    try (OpenSearchClient c = client(new OpenSearchClient.Auth.Basic("kansoku", "s3cret"))) {
      assertThat(c.get("/_cluster/health").path("status").asText()).isEqualTo("green");
      assertThat(seen.get().get("authorization")).isEqualTo("Basic a2Fuc29rdTpzM2NyZXQ=");
    }
  }

  @Test
  void sigv4_signs_with_region_service_and_payload_hash() {
    StaticCredentialsProvider creds = StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDKANSOKU", "secret"));
    try (OpenSearchClient c = client(new OpenSearchClient.Auth.SigV4("us-west-2", "aoss", creds))) {
      c.get("/_cluster/health");
      String auth = seen.get().get("authorization");
      assertThat(auth).startsWith("AWS4-HMAC-SHA256 Credential=AKIDKANSOKU/").contains("/us-west-2/aoss/aws4_request")
          .contains("SignedHeaders=").contains("host").contains("x-amz-content-sha256").contains("Signature=");
      // SHA-256 of the empty body: Serverless requires the header.
      assertThat(seen.get().get("x-amz-content-sha256"))
          .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      assertThat(seen.get().get("x-amz-date")).isNotBlank();
    }
  }

  @Test
  void refusal_carries_the_error_type_and_reason() {
    try (OpenSearchClient c = client(new OpenSearchClient.Auth.None())) {
      assertThatThrownBy(() -> c.post("/missing/_search", Search.obj()))
          .isInstanceOfSatisfying(OpenSearchClient.OpenSearchException.class, e -> {
            assertThat(e.status).isEqualTo(404);
            assertThat(e.retryable()).isFalse();
          })
          .hasMessage("POST /missing/_search: HTTP 404 index_not_found_exception: no such index [missing]");
    }
  }
}
