package dev.kansoku.aws;

import java.net.URI;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpConfigurationOption;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * Builds AWS SDK v2 clients from {@link AwsSessionConfig} the way AWS users expect: the default
 * credential chain (or an assumed role), the SDK's own region and endpoint variables unless the
 * configuration names them, a proxy, and the SDK's standard retries.
 */
public final class AwsClients {
  private AwsClients() {}

  /** An SDK client and the HTTP client under it, which {@link #close} closes together. */
  public record Client<C extends SdkClient>(SdkHttpClient http, C sdk) {
    public void close() {
      sdk.close();
      http.close();
    }
  }

  /**
   * An SDK client built by {@link #configure} on its own {@link #httpClient}. When building fails
   * the HTTP client is closed, so a failed start leaves nothing open.
   */
  public static <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C extends SdkClient> Client<C> open(
      B builder, AwsSessionConfig config, Function<String, String> env) {
    SdkHttpClient http = httpClient(config);
    try {
      return new Client<>(http, configure(builder, config, env).httpClient(http).build());
    } catch (RuntimeException e) {
      http.close();
      throw e;
    }
  }

  /** The HTTP client for one exporter; close it on shutdown. */
  public static SdkHttpClient httpClient(AwsSessionConfig c) {
    ApacheHttpClient.Builder b = ApacheHttpClient.builder()
        .socketTimeout(c.requestTimeout())
        .connectionTimeout(c.requestTimeout());
    if (!c.proxyAddress.isEmpty()) {
      b.proxyConfiguration(ProxyConfiguration.builder().endpoint(URI.create(c.proxyAddress)).build());
    }
    if (c.noVerifySsl) {
      return b.buildWithDefaults(AttributeMap.builder()
          .put(SdkHttpConfigurationOption.TRUST_ALL_CERTIFICATES, Boolean.TRUE).build());
    }
    return b.build();
  }

  /**
   * Applies region, endpoint, credentials and retries to {@code builder}.
   *
   * @param env environment lookup, for AWS_REGION when the configuration names no region
   */
  public static <B extends AwsClientBuilder<B, ?>> B configure(B builder, AwsSessionConfig c,
      Function<String, String> env) {
    Region region = region(c, env);
    if (region != null) {
      builder.region(region);
    }
    if (!c.endpoint.isEmpty()) {
      builder.endpointOverride(URI.create(c.endpoint));
    }
    builder.credentialsProvider(credentials(c, region));
    builder.overrideConfiguration(ClientOverrideConfiguration.builder()
        .apiCallTimeout(c.requestTimeout())
        .retryStrategy(b -> b.maxAttempts(c.maxRetries + 1))
        .build());
    return builder;
  }

  static Region region(AwsSessionConfig c, Function<String, String> env) {
    if (!c.region.isEmpty()) {
      return Region.of(c.region);
    }
    for (String var : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String v = env.apply(var);
      if (v != null && !v.isBlank()) {
        return Region.of(v.trim());
      }
    }
    return null;
  }

  private static AwsCredentialsProvider credentials(AwsSessionConfig c, Region region) {
    return credentials(c.roleArn, c.externalId, !c.stsRegion.isEmpty() ? Region.of(c.stsRegion) : region);
  }

  /**
   * The default credential chain, or {@code roleArn} assumed through STS in {@code stsRegion} when
   * not empty ({@code externalId} may be empty).
   */
  public static AwsCredentialsProvider credentials(String roleArn, String externalId, Region stsRegion) {
    AwsCredentialsProvider base = DefaultCredentialsProvider.builder().build();
    if (roleArn.isEmpty()) {
      return base;
    }
    StsClient sts = StsClient.builder().credentialsProvider(base).region(stsRegion).build();
    return StsAssumeRoleCredentialsProvider.builder().stsClient(sts).refreshRequest(r -> {
      r.roleArn(roleArn).roleSessionName("kansoku");
      if (!externalId.isEmpty()) {
        r.externalId(externalId);
      }
    }).build();
  }
}
