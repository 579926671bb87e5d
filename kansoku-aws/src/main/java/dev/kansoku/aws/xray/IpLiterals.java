package dev.kansoku.aws.xray;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Go's {@code net.ParseIP != nil}, without ever resolving a name. */
final class IpLiterals {
  private IpLiterals() {}

  static boolean isIp(String s) {
    if (s.isEmpty()) {
      return false;
    }
    if (s.indexOf(':') < 0) {
      return isIpv4(s);
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c == ':' || c == '.' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      if (!ok) {
        return false; // also rejects zones ("%eth0") and brackets, as Go does
      }
    }
    try {
      // Only hex digits, ':' and '.': the JDK parses this as an IPv6 literal and never looks it up.
      InetAddress.getByName(s);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Dotted quad, each part 0-255 without leading zeros (Go rejects "010.0.0.1"). */
  static boolean isIpv4(String s) {
    int parts = 0;
    int i = 0;
    while (i <= s.length()) {
      int start = i;
      while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
        i++;
      }
      int len = i - start;
      if (len == 0 || len > 3 || (len > 1 && s.charAt(start) == '0')
          || Integer.parseInt(s, start, i, 10) > 255) {
        return false;
      }
      parts++;
      if (i == s.length()) {
        break;
      }
      if (s.charAt(i) != '.' || parts == 4) {
        return false;
      }
      i++;
    }
    return parts == 4;
  }
}
