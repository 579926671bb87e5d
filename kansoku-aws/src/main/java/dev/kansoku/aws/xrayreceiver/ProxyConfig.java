package dev.kansoku.aws.xrayreceiver;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.Endpoints;
import dev.kansoku.pipeline.config.TlsClientSettings;
import java.net.InetSocketAddress;

/**
 * The collector's X-Ray proxy settings (contrib's {@code internal/aws/proxy} keys): the awsxray
 * receiver's {@code proxy_server} block and the whole of the {@code awsproxy} extension.
 */
final class ProxyConfig implements Validatable {
  /** TCP host:port to listen on; loopback unless you say otherwise. Example: 0.0.0.0:2000. */
  String endpoint = "localhost:2000";
  /**
   * X-Ray endpoint to forward to; when set, calls are forwarded even with a kansoku extension.
   * Example: https://xray.us-west-2.amazonaws.com.
   */
  String awsEndpoint = "";
  /** Region for signing and X-Ray's default endpoint; else AWS_REGION / AWS_DEFAULT_REGION. Example: us-west-2. */
  String region = "";
  /** IAM role to assume (STS) for the forwarded calls. Example: arn:aws:iam::123456789012:role/xray-sampling. */
  String roleArn = "";
  /** HTTP(S) proxy for the forwarded calls. Example: http://proxy.internal:3128. */
  String proxyAddress = "";
  /** Signing name of the forwarded calls. Example: xray. */
  String serviceName = "xray";
  /** Accepted for the collector's configurations; Kansoku never asks instance metadata for the region. */
  boolean localMode;
  /**
   * TLS of the forwarded calls: ca_file (PEM) to trust instead of the system store, or
   * insecure_skip_verify; X-Ray authenticates with SigV4, so cert_file/key_file are refused.
   */
  TlsClientSettings tls = new TlsClientSettings();

  @Override
  public void validate() {
    check("");
  }

  /** @param prefix the key path of this block, e.g. {@code proxy_server::} */
  void check(String prefix) {
    bindAddress(prefix);
    if (!awsEndpoint.isEmpty() && !awsEndpoint.matches("https?://[^/\\s]+/?")) {
      throw new IllegalArgumentException(prefix + "aws_endpoint: \"" + awsEndpoint
          + "\" (expected: http(s)://host[:port], e.g. https://xray.us-west-2.amazonaws.com)");
    }
    if (!proxyAddress.isEmpty() && !proxyAddress.matches("https?://[^/\\s]+/?")) {
      throw new IllegalArgumentException(prefix + "proxy_address: \"" + proxyAddress + "\" (expected: http://host:port)");
    }
    if (serviceName.isBlank()) {
      throw new IllegalArgumentException(prefix + "service_name: empty (expected: xray)");
    }
    if (tls == null) {
      tls = new TlsClientSettings();
    }
    if (!tls.certFile.isEmpty() || !tls.keyFile.isEmpty()) {
      throw new IllegalArgumentException(prefix + "tls::cert_file, key_file: not offered (X-Ray authenticates the"
          + " forwarded calls with SigV4, not with a client certificate)");
    }
  }

  /** The TCP address to bind, unresolved. */
  InetSocketAddress bindAddress(String prefix) {
    return Endpoints.check(prefix + "endpoint", endpoint);
  }
}
