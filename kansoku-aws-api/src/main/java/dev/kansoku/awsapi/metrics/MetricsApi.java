package dev.kansoku.awsapi.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.encoding.DecodingService;
import dev.kansoku.awsapi.WriteDoors;
import dev.kansoku.awsapi.aws.AwsTargetRouter;
import dev.kansoku.awsapi.aws.WriteAdmission;
import dev.kansoku.pipeline.Admission;
import dev.kansoku.pipeline.ConsumeException;
import dev.kansoku.store.Storage;
import dev.kansoku.store.StorageException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudWatch metrics (PutMetricData, GetMetricData, GetMetricStatistics, ListMetrics) in the three
 * protocols current clients speak, all at once because the choice depends on the client's age and
 * language: smithy-rpc-v2-cbor (Java SDK v2 ≥ 2.40.6) on its own path, awsJson1_0 (botocore ≥ 1.42.10)
 * on the router's X-Amz-Target prefix, awsQuery (older CLIs) as the router's fallback for form posts.
 * Each protocol only decodes into the tree {@link CloudWatchMetrics} reads and encodes what it returns.
 * PutMetricData is admitted by the metrics pipelines' memory_limiter before its body is read (awsQuery:
 * before it is decoded), and a refusal is each protocol's throttling error.
 */
public final class MetricsApi {
  private static final Logger log = LoggerFactory.getLogger(MetricsApi.class);

  static final String TARGET_PREFIX = "GraniteServiceVersion20100801";
  static final String CBOR_PATH = "/service/" + TARGET_PREFIX + "/operation/";
  private static final MediaType CBOR = MediaType.parse("application/cbor");
  private static final MediaType JSON_10 = MediaType.parse("application/x-amz-json-1.0");

  private MetricsApi() {}

  /**
   * Registers the three protocols; returns {@code router} so that the caller can chain {@code .bind(sb)}.
   *
   * @param doors the pipelines PutMetricData delivers to
   */
  public static AwsTargetRouter register(AwsTargetRouter router, ServerBuilder sb, Storage storage,
      WriteDoors doors) {
    CloudWatchMetrics ops = new CloudWatchMetrics(storage, doors, Clock.systemUTC());
    router.register(TARGET_PREFIX, (ctx, req, op) -> json(ops, req, op), new AwsTargetRouter.WriteGate() {
      @Override
      public Admission admission(String operation) {
        return ops.admission(operation);
      }

      @Override
      public HttpResponse refused(RequestHeaders headers, ConsumeException e) {
        return error(CwError.refused(e), headers, JSON_10, Wire::writeJson);
      }
    });
    router.registerFallback("cloudwatch-query", (ctx, req) -> query(ops, req));
    sb.route().post(CBOR_PATH + "{op}").requestTimeout(AwsTargetRouter.REQUEST_TIMEOUT)
        .decorator(DecodingService.newDecorator()).build((ctx, req) -> {
          String op = ctx.pathParam("op");
          return WriteAdmission.serve(ctx, req, ops.admission(op),
              e -> error(CwError.refused(e), req.headers(), CBOR, Wire::writeCbor), agg -> cbor(ops, agg, op));
        });
    return router;
  }

  static HttpResponse cbor(CloudWatchMetrics ops, AggregatedHttpRequest req, String op) {
    return call(ops, req, op, r -> Wire.readCbor(r.content().array()), CBOR, Wire::writeCbor);
  }

  static HttpResponse json(CloudWatchMetrics ops, AggregatedHttpRequest req, String op) {
    return call(ops, req, op, r -> Wire.readJson(r.content().array()), JSON_10, Wire::writeJson);
  }

  private static HttpResponse call(CloudWatchMetrics ops, AggregatedHttpRequest req, String op,
      Function<AggregatedHttpRequest, JsonNode> decode, MediaType type, Function<Map<String, Object>, byte[]> encode) {
    try {
      Map<String, Object> out = ops.invoke(op, decode.apply(req));
      return HttpResponse.of(headers(ResponseHeaders.builder(HttpStatus.OK), type), HttpData.wrap(encode.apply(out)));
    } catch (RuntimeException e) {
      return error(toError(op, e), req.headers(), type, encode);
    }
  }

  /** An error in JSON 1.0 or CBOR: the modeled shape in {@code __type}, the awsQuery code in a header. */
  private static HttpResponse error(CwError err, RequestHeaders request, MediaType type,
      Function<Map<String, Object>, byte[]> encode) {
    ResponseHeadersBuilder h = ResponseHeaders.builder(HttpStatus.valueOf(err.status));
    // __type carries the modeled shape; an awsQueryCompatible client reads the query code from the header
    String message = err.getMessage() == null ? "" : err.getMessage();
    byte[] body = encode.apply(Map.of("__type", "com.amazonaws.cloudwatch#" + err.shape,
        err.shape.equals("InternalServiceFault") ? "Message" : "message", message));
    if ("true".equalsIgnoreCase(request.get("x-amzn-query-mode"))) {
      h.add(HttpHeaderNames.of("x-amzn-query-error"), err.code + ";" + (err.sender() ? "Sender" : "Receiver"));
    }
    return HttpResponse.of(headers(h, type), HttpData.wrap(body));
  }

  private static ResponseHeaders headers(ResponseHeadersBuilder h, MediaType type) {
    h.contentType(type).add(HttpHeaderNames.of("x-amzn-requestid"), UUID.randomUUID().toString());
    if (type == CBOR) {
      h.add(HttpHeaderNames.of("smithy-protocol"), "rpc-v2-cbor");
    }
    return h.build();
  }

  /** awsQuery: answers form posts with Action= (and no other Version than CloudWatch's); null for the rest. */
  @Nullable
  static HttpResponse query(CloudWatchMetrics ops, AggregatedHttpRequest req) {
    MediaType ct = req.contentType();
    String text = req.content().toString(StandardCharsets.UTF_8);
    if ((ct != null && !ct.is(MediaType.FORM_DATA)) || !(text.startsWith("Action=") || text.contains("&Action="))) {
      return null;
    }
    String requestId = UUID.randomUUID().toString();
    String op = "Unknown";
    try {
      Map<String, String> form = Wire.form(text);
      op = form.getOrDefault("Action", "");
      String version = form.get("Version");
      if (version != null && !version.equals("2010-08-01")) {
        return null; // another awsQuery service's request
      }
      // awsQuery names its action inside the body, so a write is admitted once the (bounded) body is
      // in memory, before it is decoded further.
      try (Admission.Permit permit = ops.admission(op).admit(WriteAdmission.heap(text.length()))) {
        Map<String, Object> out = ops.invoke(op, Wire.unflatten(form));
        return xml(HttpStatus.OK, Wire.writeXml(op, out, requestId), requestId);
      }
    } catch (ConsumeException e) {
      CwError err = CwError.refused(e);
      return xml(HttpStatus.valueOf(err.status), Wire.writeXmlError(err, requestId), requestId);
    } catch (RuntimeException e) {
      CwError err = toError(op, e);
      return xml(HttpStatus.valueOf(err.status), Wire.writeXmlError(err, requestId), requestId);
    }
  }

  private static HttpResponse xml(HttpStatus status, String body, String requestId) {
    return HttpResponse.of(ResponseHeaders.builder(status).contentType(MediaType.XML_UTF_8)
        .add(HttpHeaderNames.of("x-amzn-requestid"), requestId).build(), HttpData.ofUtf8(body));
  }

  private static CwError toError(String op, RuntimeException e) {
    if (e instanceof CwError c) {
      return c;
    }
    if (e instanceof StorageException) {
      log.warn("CloudWatch {}: store failed", op, e);
      return CwError.internal("The store could not complete " + op + ": " + e.getMessage());
    }
    log.error("CloudWatch {} failed", op, e);
    return CwError.internal("Internal error in " + op + ": " + e);
  }
}
