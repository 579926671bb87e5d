package dev.kansoku.awsapi.metrics;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request exactly as a real client sent it, from the captures in /work/shared/aws (request line,
 * headers, blank line, raw body bytes), replayed with the same headers and body.
 */
record Capture(String method, String path, List<String[]> headers, byte[] body) {
  static final Path ROOT = Path.of("/work/shared/aws");

  static Capture load(String relative) throws IOException {
    byte[] raw = Files.readAllBytes(ROOT.resolve(relative));
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    String[] head = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] line = head[0].split(" ");
    List<String[]> headers = new ArrayList<>();
    for (int i = 1; i < head.length; i++) {
      int colon = head[i].indexOf(':');
      headers.add(new String[] {head[i].substring(0, colon).trim(), head[i].substring(colon + 1).trim()});
    }
    return new Capture(line[0], line[1], headers, Arrays.copyOfRange(raw, end + 4, raw.length));
  }

  /** The same request with another body (for error cases built on a real client's headers). */
  Capture withBody(String text) {
    return new Capture(method, path, headers, text.getBytes(StandardCharsets.UTF_8));
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  AggregatedHttpResponse replay(URI endpoint) {
    RequestHeadersBuilder h = RequestHeaders.builder(HttpMethod.valueOf(method), path);
    for (String[] kv : headers) {
      String name = kv[0].toLowerCase(java.util.Locale.ROOT);
      if (!name.equals("host") && !name.equals("content-length") && !name.equals("connection")) {
        h.add(name, kv[1]);
      }
    }
    return WebClient.of(endpoint).execute(HttpRequest.of(h.build(), HttpData.wrap(body))).aggregate().join();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("no blank line after the headers");
  }
}
