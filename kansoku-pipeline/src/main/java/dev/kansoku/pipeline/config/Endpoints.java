package dev.kansoku.pipeline.config;

import java.net.InetSocketAddress;

/** Listener addresses as the collector writes them: {@code host:port}, {@code [::1]:port}, {@code :port}. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * The unresolved socket address of {@code endpoint}. An empty host ({@code :4317}) means every
   * interface, as in the collector.
   *
   * @throws IllegalArgumentException naming the endpoint and what is wrong with it
   */
  public static InetSocketAddress parse(String endpoint) {
    String e = endpoint == null ? "" : endpoint.trim();
    int colon = e.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("\"" + endpoint + "\" (expected: host:port)");
    }
    String host = e.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(e.substring(colon + 1));
    } catch (NumberFormatException ex) {
      throw new IllegalArgumentException("\"" + endpoint + "\": port is not a number (expected: host:port)");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("\"" + endpoint + "\": port " + port + " (expected: 0 to 65535)");
    }
    return host.isEmpty() ? new InetSocketAddress(port) : InetSocketAddress.createUnresolved(host, port);
  }

  /**
   * {@link #parse} for a listener's setting {@code key}, as configurations validate it.
   *
   * @throws IllegalArgumentException starting with {@code key}, e.g. {@code endpoint: "4317" (expected: host:port)}
   */
  public static InetSocketAddress check(String key, String endpoint) {
    try {
      return parse(endpoint);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
    }
  }

  /** {@link #parse}, resolved for binding a listener. */
  public static InetSocketAddress bindAddress(String endpoint) {
    InetSocketAddress a = parse(endpoint);
    return a.isUnresolved() ? new InetSocketAddress(a.getHostString(), a.getPort()) : a;
  }
}
