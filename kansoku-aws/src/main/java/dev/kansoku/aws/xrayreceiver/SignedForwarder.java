package dev.kansoku.aws.xrayreceiver;

import dev.kansoku.aws.AwsClients;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.function.Function;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * The sampling proxy's upstream when Kansoku does not answer itself: the request body goes to X-Ray
 * unchanged, signed with SigV4 (the default credential chain or {@code role_arn}), and X-Ray's answer
 * comes back unchanged, as the daemon and the collector's proxy do.
 *
 * <p>Thread-safe; close it to release the HTTP client.
 */
final class SignedForwarder implements SamplingProxy.Upstream, AutoCloseable {
  private final URI endpoint;
  private final String region;
  private final String signingName;
  private final AwsCredentialsProvider credentials;
  private final SdkHttpClient http;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

  /**
   * @param env environment lookup (AWS_REGION, AWS_ENDPOINT_URL_XRAY, …)
   * @param prefix the key path of the settings in messages, e.g. {@code proxy_server::}
   * @throws IllegalArgumentException when no region can be told or ca_file cannot be read
   */
  SignedForwarder(ProxyConfig config, Function<String, String> env, String prefix) {
    region = region(config, env, prefix);
    endpoint = endpoint(config, env, region);
    signingName = config.serviceName;
    credentials = AwsClients.credentials(config.roleArn, "", Region.of(region));
    ApacheHttpClient.Builder b = ApacheHttpClient.builder();
    if (!config.proxyAddress.isEmpty()) {
      b.proxyConfiguration(ProxyConfiguration.builder().endpoint(URI.create(config.proxyAddress)).build());
    }
    if (!config.tls.caFile.isEmpty()) {
      TrustManager[] trust = trustManagers(Path.of(config.tls.caFile), prefix);
      b.tlsTrustManagersProvider(() -> trust);
    }
    http = config.tls.insecureSkipVerify ? b.buildWithDefaults(AttributeMap.builder()
        .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build()) : b.build();
  }

  /** Trust managers for the PEM certificates of {@code caFile}, instead of the system's. */
  private static TrustManager[] trustManagers(Path caFile, String prefix) {
    try (InputStream in = Files.newInputStream(caFile)) {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, c);
      }
      if (i == 0) {
        throw new IllegalArgumentException(prefix + "tls::ca_file: " + caFile + " holds no PEM certificate");
      }
      TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      f.init(store);
      return f.getTrustManagers();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException(prefix + "tls::ca_file: cannot read " + caFile + ": " + e.getMessage(), e);
    }
  }

  private static String region(ProxyConfig config, Function<String, String> env, String prefix) {
    if (!config.region.isEmpty()) {
      return config.region;
    }
    for (String var : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String v = env.apply(var);
      if (v != null && !v.isBlank()) {
        return v.trim();
      }
    }
    throw new IllegalArgumentException("cannot tell the region to sign for; set " + prefix + "region or AWS_REGION");
  }

  /** aws_endpoint, else the SDK's endpoint variables, else X-Ray in the region. */
  static URI endpoint(ProxyConfig config, Function<String, String> env, String region) {
    String url = config.awsEndpoint;
    for (String var : new String[] {"AWS_ENDPOINT_URL_XRAY", "AWS_ENDPOINT_URL"}) {
      String v = env.apply(var);
      if (url.isEmpty() && v != null && !v.isBlank()) {
        url = v.trim();
      }
    }
    if (url.isEmpty()) {
      url = "https://xray." + region + ".amazonaws.com";
    }
    return URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
  }

  URI endpoint() {
    return endpoint;
  }

  @Override
  public LocalSampling.Answer call(String path, byte[] body) throws IOException {
    SdkHttpRequest request = SdkHttpRequest.builder().method(SdkHttpMethod.POST)
        .uri(URI.create(endpoint + path)).putHeader("Content-Type", "application/json").build();
    SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
        .request(request)
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, signingName)
        .putProperty(AwsV4HttpSigner.REGION_NAME, region));
    HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder().request(signed.request())
        .contentStreamProvider(ContentStreamProvider.fromByteArray(body)).build()).call();
    byte[] answer;
    try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
      answer = in.readAllBytes();
    }
    int status = response.httpResponse().statusCode();
    String errorType = status >= 300 ? response.httpResponse().firstMatchingHeader("x-amzn-ErrorType")
        .orElse("ServiceUnavailableException") : null;
    return new LocalSampling.Answer(status, errorType, answer);
  }

  @Override
  public void close() {
    http.close();
  }
}
