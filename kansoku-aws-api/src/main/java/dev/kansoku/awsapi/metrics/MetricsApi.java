package dev.kansoku.awsapi.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.encoding.DecodingService;
import dev.kansoku.awsapi.aws.AwsTargetRouter;
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
 */
public final class MetricsApi {
  private static final Logger log = LoggerFactory.getLogger(MetricsApi.class);

  static final String TARGET_PREFIX = "GraniteServiceVersion20100801";
  static final String CBOR_PATH = "/service/" + TARGET_PREFIX + "/operation/";
  private static final MediaType CBOR = MediaType.parse("application/cbor");
  private static final MediaType JSON_10 = MediaType.parse("application/x-amz-json-1.0");

  private MetricsApi() {}

  /** Registers the three protocols; returns {@code router} so that the caller can chain {@code .bind(sb)}. */
  public static AwsTargetRouter register(AwsTargetRouter router, ServerBuilder sb, Storage storage) {
    CloudWatchMetrics ops = new CloudWatchMetrics(storage, Clock.systemUTC());
    router.register(TARGET_PREFIX, (ctx, req, op) -> json(ops, req, op));
    router.registerFallback("cloudwatch-query", (ctx, req) -> query(ops, req));
    sb.route().post(CBOR_PATH + "{op}").requestTimeout(AwsTargetRouter.REQUEST_TIMEOUT)
        .decorator(DecodingService.newDecorator()).build((ctx, req) ->
        HttpResponse.of(req.aggregate().thenApplyAsync(agg -> cbor(ops, agg, ctx.pathParam("op")),
            ctx.blockingTaskExecutor())));
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
    String requestId = UUID.randomUUID().toString();
    ResponseHeadersBuilder h;
    byte[] body;
    try {
      Map<String, Object> out = ops.invoke(op, decode.apply(req));
      h = ResponseHeaders.builder(HttpStatus.OK);
      body = encode.apply(out);
    } catch (RuntimeException e) {
      CwError err = toError(op, e);
      h = ResponseHeaders.builder(HttpStatus.valueOf(err.status));
      // __type carries the modeled shape; an awsQueryCompatible client reads the query code from the header
      String message = err.getMessage() == null ? "" : err.getMessage();
      body = encode.apply(Map.of("__type", "com.amazonaws.cloudwatch#" + err.shape,
          err.shape.equals("InternalServiceFault") ? "Message" : "message", message));
      if ("true".equalsIgnoreCase(req.headers().get("x-amzn-query-mode"))) {
        h.add(HttpHeaderNames.of("x-amzn-query-error"), err.code + ";" + (err.sender() ? "Sender" : "Receiver"));
      }
    }
    h.contentType(type).add(HttpHeaderNames.of("x-amzn-requestid"), requestId);
    if (type == CBOR) {
      h.add(HttpHeaderNames.of("smithy-protocol"), "rpc-v2-cbor");
    }
    return HttpResponse.of(h.build(), HttpData.wrap(body));
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
      Map<String, Object> out = ops.invoke(op, Wire.unflatten(form));
      return xml(HttpStatus.OK, Wire.writeXml(op, out, requestId), requestId);
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
