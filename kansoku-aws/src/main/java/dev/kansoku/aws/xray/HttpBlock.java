package dev.kansoku.aws.xray;

import static dev.kansoku.aws.xray.Attrs.integer;
import static dev.kansoku.aws.xray.Attrs.str;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The {@code http} block from HTTP semantic conventions, old (http.method, http.url, net.peer.*) and
 * new (http.request.method, url.full, server.address …) names alike, as the collector's
 * translator reads them. The attributes it consumes are not repeated in metadata.
 */
final class HttpBlock {
  private HttpBlock() {}

  record Result(Map<String, AnyValue> filtered, @Nullable Segment.Http http) {}

  static Result make(Span span, Map<String, AnyValue> attributes) {
    Map<String, AnyValue> filtered = new LinkedHashMap<>();
    if (attributes.isEmpty()) {
      return new Result(filtered, null);
    }
    Segment.Http info = new Segment.Http();
    Map<String, String> urlParts = new HashMap<>();
    boolean hasHttp = false;
    boolean hasUrlAttributes = false;
    boolean hasNetPeerAddr = false;
    for (Map.Entry<String, AnyValue> e : attributes.entrySet()) {
      String key = e.getKey();
      AnyValue value = e.getValue();
      switch (key) {
        case "http.method", "http.request.method" -> {
          info.method = Segment.nonEmpty(str(value));
          hasHttp = true;
        }
        case "http.client_ip" -> {
          info.clientIp = Segment.nonEmpty(str(value));
          hasHttp = true;
        }
        case "http.user_agent", "user_agent.original" -> {
          info.userAgent = Segment.nonEmpty(str(value));
          hasHttp = true;
        }
        case "http.status_code", "http.response.status_code" -> {
          info.status = integer(value);
          hasHttp = true;
        }
        case "http.url", "url.full" -> {
          urlParts.put("http.url", str(value));
          hasHttp = true;
          hasUrlAttributes = true;
        }
        case "http.scheme", "url.scheme" -> {
          urlParts.put("http.scheme", str(value));
          hasHttp = true;
        }
        case "http.host", "http.server_name" -> {
          urlParts.put(key, str(value));
          hasHttp = true;
          hasUrlAttributes = true;
        }
        case "http.target", "url.path", "url.query" -> {
          urlParts.put(key, str(value));
          hasHttp = true;
        }
        case "net.host.port" -> {
          urlParts.put(key, portText(value));
          hasHttp = true;
        }
        case "host.name", "net.host.name", "net.peer.name", "server.address" -> {
          urlParts.put(key, str(value));
          hasUrlAttributes = true;
        }
        case "net.peer.port", "server.port" -> urlParts.put(key, portText(value));
        case "net.peer.ip" -> {
          // Prefer forwarded information (http.client_ip) when present.
          if (info.clientIp == null) {
            info.clientIp = Segment.nonEmpty(str(value));
          }
          urlParts.put(key, str(value));
          hasUrlAttributes = true;
          hasNetPeerAddr = true;
        }
        case "network.peer.address" -> {
          if (IpLiterals.isIp(str(value))) {
            if (info.clientIp == null) {
              info.clientIp = Segment.nonEmpty(str(value));
            }
            hasUrlAttributes = true;
            hasNetPeerAddr = true;
          }
        }
        case "client.address" -> {
          if (IpLiterals.isIp(str(value))) {
            info.clientIp = Segment.nonEmpty(str(value));
          }
        }
        default -> filtered.put(key, value);
      }
    }
    if (!hasNetPeerAddr && info.clientIp != null) {
      // The client address came from a header, not from the connection.
      info.xForwardedFor = true;
    }
    if (!hasHttp) {
      return new Result(filtered, null);
    }
    if (hasUrlAttributes) {
      info.url = Segment.nonEmpty(span.getKind() == Span.SpanKind.SPAN_KIND_SERVER
          ? serverUrl(urlParts) : clientUrl(urlParts));
    }
    info.contentLength = responseSize(span, attributes);
    return new Result(filtered, info);
  }

  /** A port given as a string or as an integer. */
  private static String portText(AnyValue value) {
    String s = str(value);
    return s.isEmpty() ? Long.toString(integer(value)) : s;
  }

  /** Response size from the span or one of its events (gRPC message events). */
  private static long responseSize(Span span, Map<String, AnyValue> attributes) {
    long size = responseSize(attributes);
    if (size != 0) {
      return size;
    }
    for (Span.Event event : span.getEventsList()) {
      size = responseSize(Attrs.of(event.getAttributesList()));
      if (size != 0) {
        return size;
      }
    }
    return 0;
  }

  private static long responseSize(Map<String, AnyValue> attributes) {
    if (str(attributes.get("message.type")).equals("RECEIVED")) {
      AnyValue size = attributes.get("messaging.message_payload_size_bytes");
      if (size != null) {
        return integer(size);
      }
    }
    return 0;
  }

  static String clientUrl(Map<String, String> parts) {
    return url(parts, List.of("net.peer.name", "net.peer.ip"), List.of("net.peer.port"));
  }

  static String serverUrl(Map<String, String> parts) {
    return url(parts, List.of("http.server_name", "net.host.name", "host.name", "server.address"),
        List.of("net.host.port", "server.port"));
  }

  /**
   * http.url when set; otherwise assembled from the scheme, http.host (without a port) or else the
   * first of {@code hostKeys} and of {@code portKeys} that is set, and the target.
   */
  private static String url(Map<String, String> parts, List<String> hostKeys, List<String> portKeys) {
    String full = parts.get("http.url");
    if (full != null) {
      return full;
    }
    String scheme = parts.getOrDefault("http.scheme", "http");
    String port = "";
    String host = parts.get("http.host");
    if (host == null) {
      host = firstOf(parts, hostKeys);
      port = firstOf(parts, portKeys);
    }
    return assemble(parts, scheme, host, port);
  }

  private static String firstOf(Map<String, String> parts, List<String> keys) {
    for (String k : keys) {
      String v = parts.get(k);
      if (v != null) {
        return v;
      }
    }
    return "";
  }

  private static String assemble(Map<String, String> parts, String scheme, String host, String port) {
    StringBuilder url = new StringBuilder(scheme).append("://").append(host);
    if (!port.isEmpty() && !(scheme.equals("http") && port.equals("80"))
        && !(scheme.equals("https") && port.equals("443"))) {
      url.append(':').append(port);
    }
    String target = parts.get("http.target");
    if (target != null) {
      url.append(target);
    } else {
      url.append(parts.getOrDefault("url.path", "/"));
      String query = parts.get("url.query");
      if (query != null) {
        if (!query.startsWith("?")) {
          url.append('?');
        }
        url.append(query);
      }
    }
    return url.toString();
  }
}
