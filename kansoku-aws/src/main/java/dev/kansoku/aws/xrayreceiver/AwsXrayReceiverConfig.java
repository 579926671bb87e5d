package dev.kansoku.aws.xrayreceiver;

import com.fasterxml.jackson.annotation.JsonSetter;
import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.Endpoints;
import java.net.InetSocketAddress;

/**
 * {@code awsxray} receiver: the X-Ray daemon's UDP port, where X-Ray SDKs send segment documents,
 * and, when {@code proxy_server} is given, the daemon's TCP port for the SDKs' sampling calls.
 */
final class AwsXrayReceiverConfig implements Validatable {
  /** UDP host:port to listen on; loopback unless you say otherwise. Example: 0.0.0.0:2000. */
  String endpoint = "localhost:2000";
  /** Transport of the listener; X-Ray SDKs only send over UDP. Example: udp. */
  String transport = "udp";
  /**
   * Serve X-Ray's two sampling calls (POST /GetSamplingRules, /SamplingTargets) unsigned over TCP, as
   * the daemon does: from Kansoku's own rules when the service runs the kansoku extension and no
   * aws_endpoint is set, else signed and forwarded to X-Ray. Absent: no TCP listener.
   * Example: {endpoint: localhost:2000}.
   */
  ProxyServer proxyServer;

  /** A present but empty {@code proxy_server:} means the defaults. */
  @JsonSetter("proxy_server")
  void setProxyServer(ProxyServer value) {
    proxyServer = value == null ? new ProxyServer() : value;
  }

  /** The collector's proxy_server keys that apply to the two sampling calls. */
  static final class ProxyServer {
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
  }

  @Override
  public void validate() {
    if (!"udp".equals(transport)) {
      throw new IllegalArgumentException("transport: \"" + transport + "\" (expected: udp; X-Ray SDKs send"
          + " segments over UDP only)");
    }
    bindAddress();
    if (proxyServer != null) {
      proxyBindAddress();
      String url = proxyServer.awsEndpoint;
      if (!url.isEmpty() && !url.matches("https?://[^/\\s]+/?")) {
        throw new IllegalArgumentException("proxy_server::aws_endpoint: \"" + url
            + "\" (expected: http(s)://host[:port], e.g. https://xray.us-west-2.amazonaws.com)");
      }
      if (!proxyServer.proxyAddress.isEmpty() && !proxyServer.proxyAddress.matches("https?://[^/\\s]+/?")) {
        throw new IllegalArgumentException("proxy_server::proxy_address: \"" + proxyServer.proxyAddress
            + "\" (expected: http://host:port)");
      }
      if (proxyServer.serviceName.isBlank()) {
        throw new IllegalArgumentException("proxy_server::service_name: empty (expected: xray)");
      }
    }
  }

  /** The TCP address of the sampling proxy, unresolved; only with proxy_server. */
  InetSocketAddress proxyBindAddress() {
    try {
      return Endpoints.parse(proxyServer.endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("proxy_server::endpoint: " + e.getMessage());
    }
  }

  /**
   * The address to bind, unresolved: {@code host:port}, {@code [::1]:port}, or {@code :port} for every
   * interface, as the collector writes listener endpoints.
   */
  InetSocketAddress bindAddress() {
    try {
      return Endpoints.parse(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("endpoint: " + e.getMessage());
    }
  }

}
