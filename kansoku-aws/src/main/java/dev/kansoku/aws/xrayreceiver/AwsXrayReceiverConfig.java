package dev.kansoku.aws.xrayreceiver;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.Endpoints;
import java.net.InetSocketAddress;

/**
 * {@code awsxray} receiver: the X-Ray daemon's UDP port, where X-Ray SDKs send segment documents.
 *
 * <p>The collector's {@code proxy_server} (a TCP proxy that signs and forwards the SDKs' sampling
 * calls to X-Ray) is not implemented, so the key is rejected as unknown rather than silently ignored.
 */
final class AwsXrayReceiverConfig implements Validatable {
  /** UDP host:port to listen on; loopback unless you say otherwise. Example: 0.0.0.0:2000. */
  String endpoint = "localhost:2000";
  /** Transport of the listener; X-Ray SDKs only send over UDP. Example: udp. */
  String transport = "udp";

  @Override
  public void validate() {
    if (!"udp".equals(transport)) {
      throw new IllegalArgumentException("transport: \"" + transport + "\" (expected: udp; X-Ray SDKs send"
          + " segments over UDP only)");
    }
    bindAddress();
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
