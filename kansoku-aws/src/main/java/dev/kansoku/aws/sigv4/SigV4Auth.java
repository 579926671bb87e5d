package dev.kansoku.aws.sigv4;

import dev.kansoku.pipeline.ClientAuthenticator;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.Host;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * Signs each request with the AWS SDK's SigV4 signer over the bytes actually sent. Credentials come
 * from the default chain (environment, profile, container or instance role), or an assumed role.
 */
final class SigV4Auth implements Extension, ClientAuthenticator {
  private final SigV4AuthConfig config;
  private final Function<String, String> env;
  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private volatile AwsCredentialsProvider credentials;

  SigV4Auth(SigV4AuthConfig config, Function<String, String> env) {
    this.config = config;
    this.env = env;
  }

  @Override
  public void start(Host host) {
    AwsCredentialsProvider base = DefaultCredentialsProvider.builder().build();
    if (config.assumeRole.arn.isEmpty()) {
      credentials = base;
      return;
    }
    String stsRegion = !config.assumeRole.stsRegion.isEmpty() ? config.assumeRole.stsRegion
        : !config.region.isEmpty() ? config.region : env.apply("AWS_REGION");
    StsClientBuilder sts = StsClient.builder().credentialsProvider(base);
    if (stsRegion != null && !stsRegion.isEmpty()) {
      sts.region(Region.of(stsRegion));
    }
    credentials = StsAssumeRoleCredentialsProvider.builder().stsClient(sts.build())
        .refreshRequest(r -> r.roleArn(config.assumeRole.arn).roleSessionName(config.assumeRole.sessionName))
        .build();
  }

  @Override
  public Map<String, String> headers(ClientRequest request) {
    AwsCredentialsProvider provider = credentials;
    if (provider == null) {
      throw new IllegalStateException("sigv4auth is not started");
    }
    String host = request.url().getHost();
    SdkHttpRequest.Builder http = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(request.method()))
        .uri(request.url());
    request.headers().forEach(http::putHeader);
    SignedRequest signed = signer.sign(r -> r.identity(provider.resolveCredentials())
        .request(http.build())
        .payload(ContentStreamProvider.fromByteArray(request.body()))
        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service(host))
        .putProperty(AwsV4HttpSigner.REGION_NAME, region(host)));
    Map<String, String> added = new HashMap<>();
    for (Map.Entry<String, List<String>> e : signed.request().headers().entrySet()) {
      String name = e.getKey().toLowerCase(Locale.ROOT);
      if (!request.headers().containsKey(name) && !name.equals("host")) {
        added.put(e.getKey(), String.join(",", e.getValue()));
      }
    }
    return added;
  }

  /**
   * The configured service, else the first label of an AWS host (xray.us-west-2.amazonaws.com →
   * xray), except the hosts whose first label is not the signing name, as the collector's sigv4auth
   * maps them: Amazon Managed Prometheus (aps-workspaces.* → aps) and OpenSearch domains (search-* → es).
   */
  String service(String host) {
    if (!config.service.isEmpty()) {
      return config.service;
    }
    String[] labels = host.split("\\.");
    if (host.endsWith(".amazonaws.com") && labels.length >= 4) {
      if (labels[0].startsWith("aps-workspaces")) {
        return "aps";
      }
      return labels[0].startsWith("search-") ? "es" : labels[0];
    }
    throw new IllegalArgumentException("sigv4auth: cannot tell the service from \"" + host
        + "\"; set service (e.g. xray or logs)");
  }

  /** The configured region, else the second label of an AWS host, else AWS_REGION. */
  String region(String host) {
    if (!config.region.isEmpty()) {
      return config.region;
    }
    String[] labels = host.split("\\.");
    if (host.endsWith(".amazonaws.com") && labels.length >= 4) {
      return labels[1];
    }
    String fromEnv = env.apply("AWS_REGION");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    throw new IllegalArgumentException("sigv4auth: cannot tell the region from \"" + host + "\"; set region");
  }
}
