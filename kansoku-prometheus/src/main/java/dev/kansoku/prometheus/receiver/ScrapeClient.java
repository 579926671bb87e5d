package dev.kansoku.prometheus.receiver;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.ClientFactoryBuilder;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.WebClientBuilder;
import com.linecorp.armeria.client.encoding.DecodingClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import dev.kansoku.prometheus.config.HttpClientConfig;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP side of scraping for one job: Prometheus's headers (Accept by scrape_protocols,
 * X-Prometheus-Scrape-Timeout-Seconds), the job's credentials (files re-read on every scrape, so rotated
 * tokens are picked up), TLS (ca_file, cert/key, insecure_skip_verify), gzip, and the body size limit.
 */
final class ScrapeClient implements AutoCloseable {
  private static final String USER_AGENT = "kansoku/" + Objects.requireNonNullElse(
      ScrapeClient.class.getPackage().getImplementationVersion(), "dev");

  private final Job job;
  private final ClientFactory factory;
  private final WebClient client;

  ScrapeClient(Job job) {
    this.job = job;
    HttpClientConfig c = job.config();
    ClientFactoryBuilder fb = ClientFactory.builder();
    HttpClientConfig.TlsConfig tls = c.tlsConfig;
    if (tls != null) {
      if (tls.insecureSkipVerify) {
        fb.tlsNoVerify();
      }
      fb.tlsCustomizer(ssl -> {
        if (tls.caFile != null && !tls.insecureSkipVerify) {
          ssl.trustManager(new File(tls.caFile));
        }
        if (tls.certFile != null && tls.keyFile != null) {
          ssl.keyManager(new File(tls.certFile), new File(tls.keyFile));
        }
      });
    }
    this.factory = fb.build();
    WebClientBuilder wb = WebClient.builder().factory(factory).responseTimeout(job.timeout())
        .followRedirects(c.followRedirects ? com.linecorp.armeria.client.redirect.RedirectConfig.of()
            : com.linecorp.armeria.client.redirect.RedirectConfig.disabled())
        .maxResponseLength(job.bodySizeLimit());
    if (job.compression()) {
      wb.decorator(DecodingClient.newDecorator());
    }
    this.client = wb.build();
  }

  /** Starts the GET of {@code target}; credentials files that cannot be read fail the scrape. */
  CompletableFuture<AggregatedHttpResponse> get(Target target) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.GET, target.url())
        .add(HttpHeaderNames.ACCEPT, job.acceptHeader())
        .add(HttpHeaderNames.USER_AGENT, USER_AGENT)
        .add("x-prometheus-scrape-timeout-seconds", seconds(target));
    if (!job.compression()) {
      h.add(HttpHeaderNames.ACCEPT_ENCODING, "identity");
    }
    try {
      String auth = authorization(job.config());
      if (auth != null) {
        h.add(HttpHeaderNames.AUTHORIZATION, auth);
      }
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return client.execute(h.build()).aggregate();
  }

  private static String seconds(Target t) {
    double s = t.timeout().toMillis() / 1000.0;
    return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
  }

  static String authorization(HttpClientConfig c) throws IOException {
    if (c.basicAuth != null) {
      String user = c.basicAuth.usernameFile != null ? read(c.basicAuth.usernameFile)
          : Objects.requireNonNullElse(c.basicAuth.username, "");
      String pass = c.basicAuth.passwordFile != null ? read(c.basicAuth.passwordFile)
          : Objects.requireNonNullElse(c.basicAuth.password, "");
      return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }
    if (c.authorization != null) {
      String credentials = c.authorization.credentialsFile != null ? read(c.authorization.credentialsFile)
          : Objects.requireNonNullElse(c.authorization.credentials, "");
      String type = c.authorization.type == null || c.authorization.type.isEmpty() ? "Bearer" : c.authorization.type;
      return type + " " + credentials;
    }
    if (c.bearerTokenFile != null) {
      return "Bearer " + read(c.bearerTokenFile);
    }
    if (c.bearerToken != null) {
      return "Bearer " + c.bearerToken;
    }
    return null;
  }

  /** A secret file's content without the trailing newline, as Prometheus trims it. */
  private static String read(String file) throws IOException {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      throw new IOException("unable to read " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    factory.close();
  }
}
