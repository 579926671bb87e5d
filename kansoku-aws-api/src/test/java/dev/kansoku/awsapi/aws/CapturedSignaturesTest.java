package dev.kansoku.awsapi.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.Server;
import dev.kansoku.awsapi.xray.XrayApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The requests the AWS CLI (Debian's 2.9.19, pip 1.45.11) and the AWS SDK for Java v2 2.57.8
 * really sent, from the captures in /work/shared/aws, written byte for byte (Host header included)
 * to a server guarded by {@link AwsSignatureCheck} with the capture's key pair and a clock set to
 * the capture's time: each is accepted under the stricter rules; the same bytes are refused, in the
 * protocol's terms, 16 minutes later, with one body byte changed, and sent to another host.
 */
class CapturedSignaturesTest {
  private static final Path ROOT = Path.of("/work/shared/aws");
  /** The capture directories and the secret their client signed with (capture.sh, recipe/Main.java). */
  private static final Map<String, String> SECRETS = Map.of(
      "captures-awscli/v2-debian-2.9.19", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      "captures-awscli/v1-pyenv-1.45.11", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      "captures-awscli/big-putmetricdata-v1", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      "captures-awscli/big-putmetricdata-v2", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
      "captures-sdkv2/java-sdk-2.57.8", "secret");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final SettableClock CLOCK = new SettableClock();
  private static final Map<String, Server> SERVERS = new TreeMap<>();

  /** A clock the test moves; read by the servers' signature checks. */
  static final class SettableClock extends Clock {
    volatile Instant now = Instant.EPOCH;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A captured request: its directory (for the secret), name, raw head and body. */
  record Capture(String dir, String name, String head, byte[] body) {
    @Override
    public String toString() {
      return dir.substring(dir.indexOf('/') + 1) + "/" + name;
    }

    String header(String name) {
      Matcher m = Pattern.compile("(?im)^" + name + ":\\s*(.*?)\\s*$").matcher(head);
      return m.find() ? m.group(1) : null;
    }

    byte[] bytes() {
      return bytes(head, body);
    }

    static byte[] bytes(String head, byte[] body) {
      byte[] h = (head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
      byte[] all = Arrays.copyOf(h, h.length + body.length);
      System.arraycopy(body, 0, all, h.length, body.length);
      return all;
    }
  }

  static Stream<Capture> captures() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(ROOT), "captures not on this machine");
    List<Capture> out = new ArrayList<>();
    for (String dir : new TreeMap<>(SECRETS).keySet()) {
      try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
        // env-*.http (SDK redirected by environment) were signed with credentials not recorded
        for (Path f : files.filter(p -> p.getFileName().toString().matches("\\d{3}-.*\\.http")).sorted().toList()) {
          byte[] raw = Files.readAllBytes(f);
          String text = new String(raw, StandardCharsets.ISO_8859_1);
          int end = text.indexOf("\r\n\r\n");
          out.add(new Capture(dir, f.getFileName().toString(), text.substring(0, end),
              Arrays.copyOfRange(raw, end + 4, raw.length)));
        }
      }
    }
    assertThat(out).hasSize(30);
    return out.stream();
  }

  @BeforeAll
  static void start() {
    for (Map.Entry<String, String> e : SECRETS.entrySet()) {
      Server s = Server.builder().http(0)
          .serviceUnder("/", (ctx, req) -> HttpResponse.of(req.aggregate().thenApply(agg ->
              HttpResponse.of("signature accepted"))))
          .decorator(new AwsSignatureCheck("AKIDEXAMPLE", e.getValue(), XrayApi.PATHS, CLOCK))
          .build();
      s.start().join();
      SERVERS.put(e.getKey(), s);
    }
  }

  @AfterAll
  static void stop() {
    SERVERS.values().forEach(s -> s.stop().join());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void captured_acceptedThenRefusedWhenAltered(Capture c) throws Exception {
    Instant signedAt = Resigner.AMZ_DATE.parse(c.header("X-Amz-Date"), Instant::from);
    CLOCK.now = signedAt.plus(Duration.ofMinutes(1));
    Response ok = send(c, c.bytes());
    assertThat(ok.status).as(ok.body).isEqualTo(200);
    assertThat(ok.body).isEqualTo("signature accepted");

    CLOCK.now = signedAt.plus(Duration.ofMinutes(16));
    assertRefused(c, send(c, c.bytes()), "Signature expired: " + c.header("X-Amz-Date") + " is now earlier than ");

    CLOCK.now = signedAt.plus(Duration.ofMinutes(1));
    byte[] altered = c.body().clone();
    altered[altered.length - 1] ^= 1;
    // Only the Java SDK declares the body hash; the CLI's signature covers the body all the same.
    assertRefused(c, send(c, Capture.bytes(c.head(), altered)), c.header("x-amz-content-sha256") != null
        ? "The provided 'x-amz-content-sha256' header does not match what was computed."
        : "The request signature we calculated does not match the signature you provided.");

    String otherHost = c.head().replaceFirst("(?im)^Host: .*$", "Host: kansoku.example:443");
    assertThat(otherHost).isNotEqualTo(c.head());
    assertRefused(c, send(c, Capture.bytes(otherHost, c.body())),
        "The request signature we calculated does not match the signature you provided.");
  }

  /** Refused as AWS refuses a signature in the capture's protocol: status, code where the client reads it. */
  private static void assertRefused(Capture c, Response r, String message) throws IOException {
    String target = c.header("X-Amz-Target");
    String path = c.head().substring(c.head().indexOf(' ') + 1, c.head().indexOf(" HTTP/"));
    if (target != null && target.startsWith("Logs_")) {
      assertThat(r.status).isEqualTo(400);
      assertThat(JSON.readTree(r.body).path("__type").asText()).isEqualTo("InvalidSignatureException");
      assertThat(JSON.readTree(r.body).path("message").asText()).startsWith(message);
    } else if (target != null || path.startsWith("/service/")) {
      assertThat(r.status).isEqualTo(403);
      assertThat(r.headers.get("x-amzn-query-error")).isEqualTo("SignatureDoesNotMatch;Sender");
      assertThat(r.body).contains(message);
    } else if (path.equals("/")) {
      assertThat(r.status).isEqualTo(403);
      assertThat(r.body).contains("<Code>SignatureDoesNotMatch</Code><Message>" + message);
    } else {
      assertThat(r.status).isEqualTo(403);
      assertThat(r.headers.get("x-amzn-errortype")).isEqualTo("InvalidSignatureException");
      assertThat(JSON.readTree(r.body).path("message").asText()).startsWith(message);
    }
  }

  record Response(int status, Map<String, String> headers, String body) {}

  /** Writes the bytes to the capture's server as they are and reads one HTTP/1.1 response. */
  private static Response send(Capture c, byte[] request) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", SERVERS.get(c.dir()).activeLocalPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = socket.getInputStream();
      String statusLine = line(in);
      Map<String, String> headers = new TreeMap<>();
      for (String l = line(in); !l.isEmpty(); l = line(in)) {
        int colon = l.indexOf(':');
        headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        for (int n = Integer.parseInt(line(in).split(";")[0].trim(), 16); n > 0;
            n = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
          body.write(in.readNBytes(n));
          line(in);
        }
      } else {
        body.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
      }
      return new Response(Integer.parseInt(statusLine.split(" ")[1]), headers,
          body.toString(StandardCharsets.UTF_8));
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed after: " + sb);
      }
      if (b != '\r') {
        sb.append((char) b);
      }
    }
    return sb.toString();
  }
}
