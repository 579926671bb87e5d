package dev.kansoku.awsapi.aws;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.CBORFactory;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.kansoku.aws.sigv4.SigV4Verifier;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.annotation.Nullable;

/**
 * Requires a valid AWS Signature Version 4, made with one configured key pair, on the AWS-compatible
 * endpoints (X-Ray's paths, {@code POST /}, CloudWatch's CBOR path); other routes pass untouched.
 * The signature is checked over the body as sent, before gzip decoding, as AWS signs it, with
 * {@link SigV4Verifier}'s rules (host, x-amz-target and the other x-amz headers signed, no
 * unsigned payloads). A refusal comes in the protocol of the request, with the codes AWS uses, so
 * SDKs and the CLI report it as they would for AWS: awsJson 400 {@code UnrecognizedClientException}
 * / {@code InvalidSignatureException} / {@code IncompleteSignatureException}, restJson 403 with the
 * same codes, CloudWatch 403 {@code InvalidClientTokenId} / {@code SignatureDoesNotMatch} and 400
 * {@code IncompleteSignature} (awsQuery XML, or JSON/CBOR with {@code x-amzn-query-error}).
 *
 * <p>Thread-safe and stateless.
 */
public final class AwsSignatureCheck implements DecoratingHttpServiceFunction {
  /** How far X-Amz-Date may be from the server's clock, as AWS allows. */
  static final Duration MAX_SKEW = Duration.ofMinutes(15);
  private static final String CBOR_PREFIX = "/service/GraniteServiceVersion20100801/operation/";
  private static final String CLOUDWATCH_TARGET = "GraniteServiceVersion20100801.";
  private static final String CLOUDWATCH_XML_NS = "http://monitoring.amazonaws.com/doc/2010-08-01/";
  private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper CBOR = new ObjectMapper(new CBORFactory());

  /** The wire protocols of the endpoint, each with the signing name its clients put in the scope. */
  enum Protocol {
    XRAY_REST_JSON("xray"),
    LOGS_JSON("logs"),
    CLOUDWATCH_JSON("monitoring"),
    CLOUDWATCH_CBOR("monitoring"),
    CLOUDWATCH_QUERY("monitoring");

    final String signingName;

    Protocol(String signingName) {
      this.signingName = signingName;
    }
  }

  /**
   * A refusal: the JSON-protocol code, the awsQuery code with the status CloudWatch answers it with
   * (AWS's common errors: 400 for IncompleteSignature, 403 for the others), and the message.
   */
  record Refusal(String jsonCode, String queryCode, HttpStatus queryStatus, String message) {
    static Refusal incomplete(String message) {
      return new Refusal("IncompleteSignatureException", "IncompleteSignature", HttpStatus.BAD_REQUEST, message);
    }

    static Refusal mismatch(String message) {
      return new Refusal("InvalidSignatureException", "SignatureDoesNotMatch", HttpStatus.FORBIDDEN, message);
    }
  }

  private final String accessKeyId;
  private final String secretAccessKey;
  private final Set<String> xrayPaths;
  private final Clock clock;

  /**
   * @param xrayPaths the X-Ray restJson paths served on the endpoint ({@code /TraceSegments} …)
   */
  public AwsSignatureCheck(String accessKeyId, String secretAccessKey, Set<String> xrayPaths, Clock clock) {
    this.accessKeyId = requireNonNull(accessKeyId, "accessKeyId");
    this.secretAccessKey = requireNonNull(secretAccessKey, "secretAccessKey");
    this.xrayPaths = Set.copyOf(xrayPaths);
    this.clock = requireNonNull(clock, "clock");
  }

  @Override
  public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
    Protocol protocol = protocol(req.headers());
    if (protocol == null) {
      return delegate.serve(ctx, req);
    }
    return HttpResponse.of(req.aggregate().thenApply(agg -> {
      Refusal refusal = check(agg, protocol);
      if (refusal != null) {
        return error(protocol, refusal);
      }
      try {
        return delegate.serve(ctx, agg.toHttpRequest());
      } catch (Exception e) {
        return HttpResponse.ofFailure(e);
      }
    }));
  }

  /** Which AWS protocol a request speaks, from its method, path and headers; null for other routes. */
  @Nullable
  Protocol protocol(RequestHeaders headers) {
    if (headers.method() != HttpMethod.POST) {
      return null;
    }
    String path = headers.path();
    int q = path.indexOf('?');
    if (q >= 0) {
      path = path.substring(0, q);
    }
    if (path.equals("/")) {
      String target = headers.get("x-amz-target");
      if (target == null) {
        return Protocol.CLOUDWATCH_QUERY; // form posts; the only awsQuery service here
      }
      return target.startsWith(CLOUDWATCH_TARGET) ? Protocol.CLOUDWATCH_JSON : Protocol.LOGS_JSON;
    }
    if (path.startsWith(CBOR_PREFIX)) {
      return Protocol.CLOUDWATCH_CBOR;
    }
    return xrayPaths.contains(path) ? Protocol.XRAY_REST_JSON : null;
  }

  @Nullable
  Refusal check(AggregatedHttpRequest req, Protocol protocol) {
    Map<String, String> headers = new LinkedHashMap<>();
    req.headers().forEach((name, value) -> {
      String n = name.toString();
      if (!n.startsWith(":")) {
        headers.merge(n, value, (a, b) -> a + "," + b);
      }
    });
    // HTTP/1's Host header arrives as the :authority pseudo-header.
    if (!headers.containsKey("host") && req.headers().authority() != null) {
      headers.put("host", req.headers().authority());
    }
    String path = req.path();
    int q = path.indexOf('?');
    SigV4Verifier.Signer signer;
    try {
      signer = SigV4Verifier.verify("POST", q < 0 ? path : path.substring(0, q), q < 0 ? null : path.substring(q + 1),
          headers, req.content().array(), id -> id.equals(accessKeyId) ? secretAccessKey : null);
    } catch (SigV4Verifier.Rejected e) {
      return switch (e.reason()) {
        case MISSING -> new Refusal("MissingAuthenticationTokenException", "MissingAuthenticationToken",
            HttpStatus.FORBIDDEN, "Request is missing Authentication Token");
        case MALFORMED -> Refusal.incomplete(e.getMessage());
        case UNKNOWN_KEY -> new Refusal("UnrecognizedClientException", "InvalidClientTokenId", HttpStatus.FORBIDDEN,
            "The security token included in the request is invalid.");
        case MISMATCH -> Refusal.mismatch(e.getMessage());
      };
    }
    if (!signer.service().equals(protocol.signingName)) {
      return Refusal.mismatch("Credential should be scoped to correct service: '" + protocol.signingName + "'.");
    }
    return skew(headers.get("x-amz-date"));
  }

  /** A signature outside ±15 minutes of the server's clock is refused, as AWS does (replays). */
  @Nullable
  private Refusal skew(String amzDate) {
    Instant signed;
    try {
      signed = LocalDateTime.parse(amzDate, AMZ_DATE).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      return Refusal.incomplete("X-Amz-Date '" + amzDate + "' is not in the form yyyyMMddTHHmmssZ");
    }
    Instant now = clock.instant();
    if (signed.isBefore(now.minus(MAX_SKEW))) {
      return Refusal.mismatch("Signature expired: " + amzDate + " is now earlier than "
          + AMZ_DATE.format(now.minus(MAX_SKEW).atOffset(ZoneOffset.UTC)) + " ("
          + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " - 15 min.)");
    }
    if (signed.isAfter(now.plus(MAX_SKEW))) {
      return Refusal.mismatch("Signature not yet current: " + amzDate + " is still later than "
          + AMZ_DATE.format(now.plus(MAX_SKEW).atOffset(ZoneOffset.UTC)) + " ("
          + AMZ_DATE.format(now.atOffset(ZoneOffset.UTC)) + " + 15 min.)");
    }
    return null;
  }

  static HttpResponse error(Protocol protocol, Refusal r) {
    String requestId = UUID.randomUUID().toString();
    return switch (protocol) {
      case LOGS_JSON -> AwsTargetRouter.jsonError(HttpStatus.BAD_REQUEST, r.jsonCode(), r.message());
      case XRAY_REST_JSON -> HttpResponse.of(ResponseHeaders.builder(HttpStatus.FORBIDDEN).contentType(MediaType.JSON)
          .add(HttpHeaderNames.of("x-amzn-errortype"), r.jsonCode())
          .add(HttpHeaderNames.of("x-amzn-requestid"), requestId).build(),
          HttpData.wrap(bytes(JSON, Map.of("message", r.message()))));
      case CLOUDWATCH_JSON, CLOUDWATCH_CBOR -> {
        boolean cbor = protocol == Protocol.CLOUDWATCH_CBOR;
        ResponseHeadersBuilder h = ResponseHeaders.builder(r.queryStatus())
            .contentType(MediaType.parse(cbor ? "application/cbor" : "application/x-amz-json-1.0"))
            .add(HttpHeaderNames.of("x-amzn-query-error"), r.queryCode() + ";Sender")
            .add(HttpHeaderNames.of("x-amzn-requestid"), requestId);
        if (cbor) {
          h.add(HttpHeaderNames.of("smithy-protocol"), "rpc-v2-cbor");
        }
        yield HttpResponse.of(h.build(), HttpData.wrap(bytes(cbor ? CBOR : JSON,
            Map.of("__type", r.jsonCode(), "message", r.message()))));
      }
      case CLOUDWATCH_QUERY -> HttpResponse.of(ResponseHeaders.builder(r.queryStatus())
          .contentType(MediaType.XML_UTF_8).add(HttpHeaderNames.of("x-amzn-requestid"), requestId).build(),
          HttpData.ofUtf8("<ErrorResponse xmlns=\"" + CLOUDWATCH_XML_NS + "\"><Error><Type>Sender</Type><Code>"
              + r.queryCode() + "</Code><Message>" + xmlEscape(r.message()) + "</Message></Error><RequestId>"
              + requestId + "</RequestId></ErrorResponse>"));
    };
  }

  private static byte[] bytes(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String xmlEscape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
