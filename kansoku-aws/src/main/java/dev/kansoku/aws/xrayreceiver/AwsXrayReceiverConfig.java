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
  ProxyConfig proxyServer;

  /** A present but empty {@code proxy_server:} means the defaults. */
  @JsonSetter("proxy_server")
  void setProxyServer(ProxyConfig value) {
    proxyServer = value == null ? new ProxyConfig() : value;
  }

  @Override
  public void validate() {
    if (!"udp".equals(transport)) {
      throw new IllegalArgumentException("transport: \"" + transport + "\" (expected: udp; X-Ray SDKs send"
          + " segments over UDP only)");
    }
    bindAddress();
    if (proxyServer != null) {
      proxyServer.check("proxy_server::");
    }
  }

  /** The TCP address of the sampling proxy, unresolved; only with proxy_server. */
  InetSocketAddress proxyBindAddress() {
    return proxyServer.bindAddress("proxy_server::");
  }

  /**
   * The address to bind, unresolved: {@code host:port}, {@code [::1]:port}, or {@code :port} for every
   * interface, as the collector writes listener endpoints.
   */
  InetSocketAddress bindAddress() {
    return Endpoints.check("endpoint", endpoint);
  }

}
