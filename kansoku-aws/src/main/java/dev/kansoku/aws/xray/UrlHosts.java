package dev.kansoku.aws.xray;

/**
 * The host of a URL as Go's {@code url.Parse(s).Hostname()} gives it for database connection
 * strings: only for {@code scheme://authority…} or {@code //authority…}; "" otherwise. Written by
 * hand because {@link java.net.URI} refuses host names Go accepts (underscores) and would differ.
 */
final class UrlHosts {
  private UrlHosts() {}

  static String hostname(String url) {
    int start;
    if (url.startsWith("//")) {
      start = 2;
    } else {
      int sep = url.indexOf("://");
      if (sep <= 0 || !isScheme(url, sep)) {
        return "";
      }
      start = sep + 3;
    }
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(start, end);
    int at = authority.lastIndexOf('@');
    String hostPort = at >= 0 ? authority.substring(at + 1) : authority;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        return ""; // Go: missing ']' is a parse error
      }
      String rest = hostPort.substring(close + 1);
      if (!rest.isEmpty() && !validPort(rest)) {
        return "";
      }
      return hostPort.substring(1, close);
    }
    int colon = hostPort.lastIndexOf(':');
    if (colon >= 0) {
      if (!validPort(hostPort.substring(colon))) {
        return ""; // Go: invalid port is a parse error
      }
      return hostPort.substring(0, colon);
    }
    return hostPort;
  }

  private static boolean isScheme(String s, int end) {
    if (!Character.isLetter(s.charAt(0))) {
      return false;
    }
    for (int i = 1; i < end; i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '+' || c == '-' || c == '.') || c > 127) {
        return false;
      }
    }
    return true;
  }

  /** ":" followed by digits only (or nothing), as Go's validOptionalPort. */
  private static boolean validPort(String p) {
    if (!p.startsWith(":")) {
      return false;
    }
    for (int i = 1; i < p.length(); i++) {
      if (p.charAt(i) < '0' || p.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
