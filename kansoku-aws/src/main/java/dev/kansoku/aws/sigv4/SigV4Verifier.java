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
 * <p>Thread-safe and stateless.
 */
public final class SigV4Verifier {
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,]+),"
          + "\\s*Signature=([0-9a-f]{64})");
  private static final HexFormat HEX = HexFormat.of();

  /** What a valid signature says about the caller. */
  public record Signer(String accessKeyId, String region, String service) {}

  /** Why a request was refused; servers map it to their protocol's error code. */
  public enum Reason {
    /** No Authorization header. */
    MISSING,
    /** An Authorization header that is not a complete SigV4 one, or a missing signed header or date. */
    MALFORMED,
    /** An access key id the server does not know. */
    UNKNOWN_KEY,
    /** A well-formed signature that does not match the request (wrong secret, altered request). */
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
    String secret = secretForKey.apply(keyId);
    if (secret == null) {
      throw new Rejected(Reason.UNKNOWN_KEY, "The security token included in the request is invalid");
    }
    String amzDate = headers.get("x-amz-date");
    if (amzDate == null || !amzDate.startsWith(date)) {
      throw new Rejected(Reason.MALFORMED, "X-Amz-Date is missing or does not match the credential scope date");
    }
    String payloadHash = headers.getOrDefault("x-amz-content-sha256", hex(sha256(body)));
    if (!payloadHash.equals("UNSIGNED-PAYLOAD") && !payloadHash.equals(hex(sha256(body)))) {
      throw new Rejected(Reason.MISMATCH, "x-amz-content-sha256 does not match the body");
    }
    StringBuilder canonicalHeaders = new StringBuilder();
    for (String h : signedHeaders) {
      String v = headers.get(h);
      if (v == null) {
        throw new Rejected(Reason.MALFORMED, "signed header " + h + " is missing");
      }
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
          + " provided");
    }
    return new Signer(keyId, region, service);
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
