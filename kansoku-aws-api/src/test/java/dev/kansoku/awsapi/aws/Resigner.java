package dev.kansoku.awsapi.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * An HTTP client for the AWS SDK that re-signs each request the way a {@link Change} says before
 * sending it, so that a real client's request (its path, target, body and the headers it signs)
 * reaches the server signed as AWS would refuse it. The signing is SigV4 written from the
 * specification, independent of the server's verifier; {@link Change#RESIGNED} checks it.
 *
 * <p>Not thread-safe: set {@link #change} before each call.
 */
final class Resigner implements SdkHttpClient {
  /** How the request is signed on its way out. */
  enum Change {
    /** Sent as the client signed it. */
    AS_SIGNED,
    /** Re-signed here with nothing changed: shows that this signer agrees with the server. */
    RESIGNED,
    HOST_UNSIGNED,
    TARGET_UNSIGNED,
    UNSIGNED_PAYLOAD,
    CONTENT_SHA256_MISMATCH,
    /** SignedHeaders names x-kansoku-probe, which is not sent. */
    SIGNED_HEADER_MISSING,
    WRONG_SECRET,
    UNKNOWN_KEY,
    /** Signed 20 minutes ago. */
    STALE_DATE
  }

  static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
      .withZone(ZoneOffset.UTC);
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=[^/]+/\\d{8}/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=.*");
  private static final HexFormat HEX = HexFormat.of();

  private final SdkHttpClient delegate;
  private final String key;
  private final String secret;
  Change change = Change.AS_SIGNED;

  Resigner(SdkHttpClient delegate, String key, String secret) {
    this.delegate = delegate;
    this.key = key;
    this.secret = secret;
  }

  @Override
  public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
    byte[] body = request.contentStreamProvider().map(Resigner::bytes).orElse(new byte[0]);
    SdkHttpRequest http = change == Change.AS_SIGNED ? request.httpRequest() : resign(request.httpRequest(), body);
    return delegate.prepareRequest(HttpExecuteRequest.builder().request(http)
        .contentStreamProvider(ContentStreamProvider.fromByteArray(body)).build());
  }

  /** The request re-signed per {@link #change}, with the region, service and headers its signer chose. */
  SdkHttpRequest resign(SdkHttpRequest request, byte[] body) {
    String auth = request.firstMatchingHeader("Authorization").orElseThrow();
    Matcher m = AUTHORIZATION.matcher(auth);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a SigV4 Authorization header: " + auth);
    }
    TreeMap<String, String> headers = new TreeMap<>();
    request.forEachHeader((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    headers.remove("authorization");
    headers.remove("host"); // the HTTP client writes it from the URI
    TreeSet<String> signed = new TreeSet<>(List.of(m.group(3).split(";")));
    String payloadHash = hex(sha256(body));
    String signingKey = key;
    String signingSecret = secret;
    Instant at = Instant.now();
    switch (change) {
      case HOST_UNSIGNED -> signed.remove("host");
      case TARGET_UNSIGNED -> signed.remove("x-amz-target");
      case UNSIGNED_PAYLOAD -> payloadHash = "UNSIGNED-PAYLOAD";
      case CONTENT_SHA256_MISMATCH -> payloadHash = hex(sha256("another body".getBytes(StandardCharsets.UTF_8)));
      case SIGNED_HEADER_MISSING -> signed.add("x-kansoku-probe");
      case WRONG_SECRET -> signingSecret = "wrong" + secret;
      case UNKNOWN_KEY -> signingKey = "AKIDOTHER";
      case STALE_DATE -> at = at.minus(Duration.ofMinutes(20));
      default -> { }
    }
    if (change == Change.UNSIGNED_PAYLOAD || change == Change.CONTENT_SHA256_MISMATCH) {
      headers.put("x-amz-content-sha256", payloadHash);
      signed.add("x-amz-content-sha256");
    }
    headers.put("x-amz-date", AMZ_DATE.format(at));
    Map<String, String> canonical = new TreeMap<>(headers);
    canonical.put("host", request.port() == 80 ? request.host() : request.host() + ":" + request.port());
    canonical.put("x-kansoku-probe", "1"); // signed in SIGNED_HEADER_MISSING, never sent
    String authorization = authorization(request.method().name(), request.encodedPath(), canonical,
        new ArrayList<>(signed), payloadHash, signingKey, signingSecret, m.group(1), m.group(2), AMZ_DATE.format(at));
    SdkHttpRequest.Builder out = request.toBuilder().clearHeaders();
    headers.forEach(out::putHeader);
    return out.putHeader("Authorization", authorization).build();
  }

  /** The Authorization header of SigV4 over exactly these inputs (headers by lower-case name, host included). */
  static String authorization(String method, String path, Map<String, String> headers, List<String> signed,
      String payloadHash, String key, String secret, String region, String service, String amzDate) {
    StringBuilder canonical = new StringBuilder(method).append('\n').append(path.isEmpty() ? "/" : path)
        .append("\n\n");
    for (String name : signed) {
      canonical.append(name).append(':').append(headers.get(name).trim().replaceAll("\\s+", " ")).append('\n');
    }
    canonical.append('\n').append(String.join(";", signed)).append('\n').append(payloadHash);
    String date = amzDate.substring(0, 8);
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
    byte[] k = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    for (String part : List.of(region, service, "aws4_request")) {
      k = hmac(k, part);
    }
    return "AWS4-HMAC-SHA256 Credential=" + key + "/" + scope + ", SignedHeaders=" + String.join(";", signed)
        + ", Signature=" + hex(hmac(k, toSign));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(ContentStreamProvider provider) {
    try (InputStream in = provider.newStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    delegate.close();
  }
}
