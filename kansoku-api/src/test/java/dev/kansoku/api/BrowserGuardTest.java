package dev.kansoku.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.client.BlockingWebClient;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.Server;
import java.net.InetSocketAddress;
import java.util.List;
import javax.annotation.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a web page the user visits can and cannot make a Kansoku endpoint do. */
class BrowserGuardTest {
  private Server server;
  private BlockingWebClient client;

  private void start(BrowserGuard guard) {
    server = Server.builder().http(new InetSocketAddress("127.0.0.1", 0))
        .service("/x", (ctx, req) -> HttpResponse.of("served"))
        .decorator(guard)
        .build();
    server.start().join();
    client = WebClient.of("http://127.0.0.1:" + server.activeLocalPort()).blocking();
  }

  @AfterEach
  void stop() {
    server.stop().join();
  }

  private AggregatedHttpResponse send(HttpMethod method, String host, String... headers) {
    RequestHeadersBuilder h = RequestHeaders.builder(method, "/x").authority(host);
    for (int i = 0; i < headers.length; i += 2) {
      h.add(headers[i], headers[i + 1]);
    }
    return client.execute(HttpRequest.of(h.build()));
  }

  private static BrowserGuard loopback(@Nullable List<String> allowed) {
    return BrowserGuard.of(new InetSocketAddress("127.0.0.1", 4600), allowed);
  }

  @Test
  void loopbackEndpoint_answersItsOwnNames_refusesARebindingName() {
    start(loopback(null));
    for (String host : List.of("localhost:4600", "127.0.0.1:4600", "[::1]:4600", "LOCALHOST", "app.localhost:4600")) {
      assertThat(send(HttpMethod.GET, host).contentUtf8()).as(host).isEqualTo("served");
    }
    AggregatedHttpResponse evil = send(HttpMethod.GET, "attacker.example:4600");
    assertThat(evil.status().code()).isEqualTo(403);
    assertThat(evil.contentUtf8()).isEqualTo("{\"error\":\"forbidden: host \\\"attacker.example\\\" is not a name of"
        + " this endpoint; add it to the kansoku extension's allowed_hosts if it is\"}");
    assertThat(evil.headers().get("x-content-type-options")).isEqualTo("nosniff");
  }

  @Test
  void allowedHosts_addNames_andStarAllowsAny() {
    start(loopback(List.of("kansoku.internal")));
    assertThat(send(HttpMethod.GET, "kansoku.internal:4600").contentUtf8()).isEqualTo("served");
    assertThat(send(HttpMethod.GET, "127.0.0.1").contentUtf8()).isEqualTo("served");
    assertThat(send(HttpMethod.GET, "other.internal").status().code()).isEqualTo(403);
    stop();
    start(loopback(List.of("*")));
    assertThat(send(HttpMethod.GET, "anything.example").contentUtf8()).isEqualTo("served");
  }

  @Test
  void endpointBeyondLoopback_allowsAnyName_unlessListed() {
    start(BrowserGuard.of(new InetSocketAddress(4600), null));
    assertThat(send(HttpMethod.GET, "kansoku.example.com:4600").contentUtf8()).isEqualTo("served");
    stop();
    start(BrowserGuard.of(new InetSocketAddress(4600), List.of("kansoku.example.com")));
    assertThat(send(HttpMethod.GET, "kansoku.example.com:4600").contentUtf8()).isEqualTo("served");
    assertThat(send(HttpMethod.GET, "rebound.example:4600").status().code()).isEqualTo(403);
  }

  @Test
  void writesFromAnotherOriginsPage_areRefused_readsAndClientsWithoutBrowserHeadersAreNot() {
    start(loopback(null));
    String self = "localhost:4600";
    assertThat(send(HttpMethod.POST, self, "origin", "https://attacker.example").status().code()).isEqualTo(403);
    assertThat(send(HttpMethod.POST, self, "origin", "null").status().code()).isEqualTo(403);
    assertThat(send(HttpMethod.POST, self, "origin", "http://localhost:3000").status().code()).isEqualTo(403);
    assertThat(send(HttpMethod.PUT, self, "sec-fetch-site", "cross-site").status().code()).isEqualTo(403);
    AggregatedHttpResponse sameSite = send(HttpMethod.POST, self, "sec-fetch-site", "same-site");
    assertThat(sameSite.status().code()).isEqualTo(403);
    assertThat(sameSite.contentUtf8()).contains("Sec-Fetch-Site: same-site");

    // The console's own writes, and AWS SDKs / CLI / collectors, which send no Origin.
    assertThat(send(HttpMethod.POST, self, "origin", "http://localhost:4600", "sec-fetch-site", "same-origin")
        .contentUtf8()).isEqualTo("served");
    assertThat(send(HttpMethod.POST, self).contentUtf8()).isEqualTo("served");
    // A cross-origin read gets an answer the page cannot read (no CORS headers), as before.
    AggregatedHttpResponse read = send(HttpMethod.GET, self, "origin", "https://attacker.example",
        "sec-fetch-site", "cross-site");
    assertThat(read.contentUtf8()).isEqualTo("served");
    assertThat(read.headers().get("access-control-allow-origin")).isNull();
  }

  @Test
  void everyAnswer_carriesTheSecurityHeaders() {
    start(loopback(null));
    AggregatedHttpResponse r = send(HttpMethod.GET, "localhost:4600");
    assertThat(r.headers().get("content-security-policy")).isEqualTo(BrowserGuard.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self'").contains("frame-ancestors 'none'");
    assertThat(r.headers().get("x-frame-options")).isEqualTo("DENY");
    assertThat(r.headers().get("referrer-policy")).isEqualTo("no-referrer");
    assertThat(r.headers().get("x-content-type-options")).isEqualTo("nosniff");
  }
}
