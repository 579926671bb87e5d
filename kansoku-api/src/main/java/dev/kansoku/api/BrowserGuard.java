package dev.kansoku.api;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * Keeps the web pages a user visits from using the Kansoku on their machine. A page cannot read
 * Kansoku's answers (there are no CORS headers), but a browser sends a "simple" cross-origin POST
 * (a form, or {@code text/plain}) without asking, and a page on a rebound DNS name reaches a
 * loopback listener as its own origin. So:
 *
 * <ul>
 *   <li>the {@code Host} must be an IP literal, {@code localhost}, or a name in {@code allowed_hosts};
 *       on a listener bound beyond loopback every name is allowed unless {@code allowed_hosts} says
 *       otherwise (there, names are the operator's to choose);
 *   <li>a write (any method but GET, HEAD, OPTIONS) that a browser marks as coming from another
 *       origin ({@code Sec-Fetch-Site}, {@code Origin}) is refused. AWS SDKs, the AWS CLI and the
 *       collector send neither header; the console's own requests are same-origin;
 *   <li>every answer says not to sniff types, frame or leak the referrer, and allows scripts,
 *       styles and requests only from this origin.
 * </ul>
 *
 * Refusals are 403 with a JSON body naming the rule.
 */
final class BrowserGuard implements DecoratingHttpServiceFunction {
  static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
      + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
      + " frame-ancestors 'none'";

  /** Lowercase names allowed in {@code Host}; null when any name is. */
  @Nullable private final Set<String> names;

  private BrowserGuard(@Nullable Set<String> names) {
    this.names = names;
  }

  /**
   * The guard for a listener bound to {@code bind}, with the configured {@code allowed_hosts}
   * (null when not set; {@code "*"} allows any name).
   */
  static BrowserGuard of(InetSocketAddress bind, @Nullable List<String> allowedHosts) {
    if (allowedHosts == null) {
      return new BrowserGuard(loopback(bind) ? Set.of("localhost") : null);
    }
    if (allowedHosts.contains("*")) {
      return new BrowserGuard(null);
    }
    return new BrowserGuard(allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()));
  }

  private static boolean loopback(InetSocketAddress bind) {
    String host = bind.getHostString();
    return host.equalsIgnoreCase("localhost") || host.endsWith(".localhost")
        || (!bind.isUnresolved() && bind.getAddress().isLoopbackAddress());
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    ctx.addAdditionalResponseHeader(HttpHeaderNames.X_CONTENT_TYPE_OPTIONS, "nosniff");
    ctx.addAdditionalResponseHeader(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
    ctx.addAdditionalResponseHeader(HttpHeaderNames.REFERRER_POLICY, "no-referrer");
    ctx.addAdditionalResponseHeader(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    String authority = req.authority();
    String host = authority == null ? "" : hostOf(authority);
    if (!hostAllowed(host)) {
      return refuse("host \"" + host + "\" is not a name of this endpoint; add it to the kansoku extension's"
          + " allowed_hosts if it is");
    }
    HttpMethod m = req.method();
    if (m != HttpMethod.GET && m != HttpMethod.HEAD && m != HttpMethod.OPTIONS) {
      String site = req.headers().get("sec-fetch-site");
      if (site != null && (site.equals("cross-site") || site.equals("same-site"))) {
        return refuse("a write from another site's page (Sec-Fetch-Site: " + site + ")");
      }
      String origin = req.headers().get(HttpHeaderNames.ORIGIN);
      if (origin != null && !sameOrigin(origin, authority)) {
        return refuse("a write from another origin's page (Origin: " + origin + ")");
      }
    }
    return delegate.serve(ctx, req);
  }

  private boolean hostAllowed(String host) {
    if (names == null) {
      return true;
    }
    if (host.isEmpty()) {
      return false;
    }
    // An IP literal cannot be rebound to another address, and names under .localhost never leave the machine.
    return ipLiteral(host) || host.endsWith(".localhost") || names.contains(host);
  }

  /** The lowercase host of a {@code Host} value, without port or IPv6 brackets. */
  static String hostOf(String authority) {
    String a = authority.toLowerCase(Locale.ROOT);
    if (a.startsWith("[")) {
      int end = a.indexOf(']');
      return end < 0 ? a : a.substring(1, end);
    }
    int colon = a.indexOf(':');
    return colon < 0 ? a : a.substring(0, colon);
  }

  private static boolean ipLiteral(String host) {
    if (host.indexOf(':') >= 0) {
      return true; // IPv6: brackets were required in Host, and names have no colon
    }
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameOrigin(String origin, @Nullable String authority) {
    if (authority == null) {
      return false;
    }
    try {
      URI o = new URI(origin);
      return o.getRawAuthority() != null && o.getRawAuthority().equalsIgnoreCase(authority);
    } catch (URISyntaxException e) {
      return false; // includes the opaque origin "null" of sandboxed frames and file: pages
    }
  }

  private static HttpResponse refuse(String why) {
    return HttpResponse.of(ResponseHeaders.builder(HttpStatus.FORBIDDEN).contentType(MediaType.JSON_UTF_8).build(),
        HttpData.ofUtf8("{\"error\":\"forbidden: " + new String(JsonStringEncoder.getInstance().quoteAsString(why))
            + "\"}"));
  }
}
