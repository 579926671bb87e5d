package dev.kansoku.aws.sigv4;

import static java.util.Objects.requireNonNull;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks an AWS Signature Version 4 {@code Authorization} header against the request it came with,
 * for servers that accept AWS clients (and for tests of the signing side). Written from the SigV4
 * specification: canonical request, string to sign, derived key, HMAC-SHA256.
 *
 * <p>As strict as AWS's JSON and query services (not S3): {@code host} must be signed, and so must
 * {@code x-amz-date}, {@code x-amz-security-token}, {@code x-amz-content-sha256} and
 * {@code x-amz-target} whenever the request carries them; every signed header must be in the
 * request; the signature always covers the SHA-256 of the body as received, so
 * {@code UNSIGNED-PAYLOAD} and an {@code x-amz-content-sha256} that is not the body's hash are
 * refused. Only the {@code Authorization} header form is read: a presigned (query-string) request
 * has no such header and is refused as {@link Reason#MISSING}.
 *
 * <p>Thread-safe and stateless.
 */
public final class SigV4Verifier {
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,]+),"
          + "\\s*Signature=([0-9a-f]{64})");
  private static final HexFormat HEX = HexFormat.of();
  /**
   * Headers that must be signed whenever a request carries them, by their names in AWS's messages:
   * the date, the session token and the declared body hash make the signature what it is, and
   * {@code x-amz-target} names the operation of the JSON protocols, which nothing else in the
   * canonical request does ({@code POST /} for every operation).
   */
  private static final List<String> SIGNED_WHEN_SENT = List.of("X-Amz-Content-Sha256", "X-Amz-Date",
      "X-Amz-Security-Token", "X-Amz-Target");

  /** What a valid signature says about the caller. */
  public record Signer(String accessKeyId, String region, String service) {}

  /** Why a request was refused; servers map it to their protocol's error code. */
  public enum Reason {
    /** No Authorization header. */
    MISSING,
    /**
     * An Authorization header that is not a complete SigV4 one, a signed header that the request
     * lacks, or a missing date.
     */
    MALFORMED,
    /** An access key id the server does not know. */
    UNKNOWN_KEY,
    /**
     * A signature that does not match the request (wrong secret, altered request), leaves out a
     * header that must be signed, or covers anything but the body's SHA-256.
     */
    MISMATCH
  }

  /** A refused signature: the reason and a message for the client. */
  public static final class Rejected extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final Reason reason;

    Rejected(Reason reason, String message) {
      super(message);
      this.reason = reason;
    }

    public Reason reason() {
      return reason;
    }
  }

  private SigV4Verifier() {}

  /**
   * @param headers request headers by lower-case name
   * @param secretForKey the secret of an access key id, or null when the key is unknown
   * @return the signer when the signature is valid
   * @throws Rejected why the signature is not valid (a message for the client)
   */
  public static Signer verify(String method, String rawPath, String rawQuery, Map<String, String> headers, byte[] body,
      Function<String, String> secretForKey) {
    requireNonNull(headers, "headers");
    String auth = headers.get("authorization");
    if (auth == null) {
      throw new Rejected(Reason.MISSING, "missing Authorization header");
    }
    Matcher m = AUTHORIZATION.matcher(auth);
    if (!m.matches()) {
      throw new Rejected(Reason.MALFORMED, "Authorization header is not AWS4-HMAC-SHA256");
    }
    String keyId = m.group(1);
    String date = m.group(2);
    String region = m.group(3);
    String service = m.group(4);
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    requireSigned(signedHeaders, headers);
    String secret = secretForKey.apply(keyId);
    if (secret == null) {
      throw new Rejected(Reason.UNKNOWN_KEY, "The security token included in the request is invalid");
    }
    String amzDate = headers.get("x-amz-date");
    if (amzDate == null || !amzDate.startsWith(date)) {
      throw new Rejected(Reason.MALFORMED, "X-Amz-Date is missing or does not match the credential scope date");
    }
    String payloadHash = payloadHash(headers.get("x-amz-content-sha256"), body);
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String h : signedHeaders) {
      String v = headers.get(h);
      canonicalHeaders.append(h).append(':').append(v.trim().replaceAll("\\s+", " ")).append('\n');
    }
    String canonicalRequest = method + "\n" + canonicalPath(rawPath) + "\n" + canonicalQuery(rawQuery) + "\n"
        + canonicalHeaders + "\n" + String.join(";", signedHeaders) + "\n" + payloadHash;
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
        + hex(sha256(canonicalRequest.getBytes(StandardCharsets.UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, stringToSign));
    if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
        m.group(6).getBytes(StandardCharsets.US_ASCII))) {
      throw new Rejected(Reason.MISMATCH, "The request signature we calculated does not match the signature you"
          + " provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for"
          + " details.");
    }
    return new Signer(keyId, region, service);
  }

  /**
   * SignedHeaders must name {@code host} and every header of {@link #SIGNED_WHEN_SENT} the request
   * has (AWS: "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.", a
   * signature error), and only headers the request has (AWS: IncompleteSignature).
   */
  private static void requireSigned(List<String> signedHeaders, Map<String, String> headers) {
    if (!signedHeaders.contains("host")) {
      throw new Rejected(Reason.MISMATCH, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
    for (String display : SIGNED_WHEN_SENT) {
      String name = display.toLowerCase(Locale.ROOT);
      if (headers.containsKey(name) && !signedHeaders.contains(name)) {
        throw new Rejected(Reason.MISMATCH, "'" + display + "' must be a 'SignedHeader' in the AWS Authorization.");
      }
    }
    for (String h : signedHeaders) {
      if (!headers.containsKey(h)) {
        throw new Rejected(Reason.MALFORMED, "'" + h + "' is named as a SignedHeader, but it does not exist in the"
            + " HTTP request.");
      }
    }
  }

  /**
   * The SHA-256 of the body as received, which is what these services sign: unlike S3 they have no
   * unsigned or streaming payloads, so {@code x-amz-content-sha256}, when sent, must be that hash.
   */
  private static String payloadHash(String declared, byte[] body) {
    String actual = hex(sha256(body));
    if (declared == null || declared.equals(actual)) {
      return actual;
    }
    if (declared.equals("UNSIGNED-PAYLOAD") || declared.startsWith("STREAMING-")) {
      throw new Rejected(Reason.MISMATCH, "x-amz-content-sha256 '" + declared + "' is for Amazon S3 only; this"
          + " service signs the SHA-256 of the body");
    }
    throw new Rejected(Reason.MISMATCH, "The provided 'x-amz-content-sha256' header does not match what was"
        + " computed.");
  }

  private static String canonicalPath(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) {
      return "/";
    }
    List<String> parts = new ArrayList<>();
    for (String segment : rawPath.split("/", -1)) {
      parts.add(encode(URLDecoder.decode(segment, StandardCharsets.UTF_8)));
    }
    return String.join("/", parts);
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    TreeMap<String, List<String>> params = new TreeMap<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String k = encode(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8));
      String v = eq < 0 ? "" : encode(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      params.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }
    List<String> out = new ArrayList<>();
    params.forEach((k, vs) -> vs.stream().sorted().forEach(v -> out.add(k + "=" + v)));
    return String.join("&", out);
  }

  /** RFC 3986 unreserved characters stay, everything else is %XX (upper case). */
  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
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

  private static String hex(byte[] b) {
    return HEX.formatHex(b).toLowerCase(Locale.ROOT);
  }
}
