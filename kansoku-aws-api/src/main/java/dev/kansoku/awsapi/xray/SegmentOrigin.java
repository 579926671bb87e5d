package dev.kansoku.awsapi.xray;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kansoku.aws.xray.XrayOptions;
import dev.kansoku.aws.xray.XraySegments;
import dev.kansoku.model.SpanId;
import dev.kansoku.model.SpanKind;
import dev.kansoku.model.SpanRecord;
import dev.kansoku.model.TraceId;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * A service's X-Ray origin, from the resource its segments carry: what a segment document's
 * {@code origin}, a service node's {@code Type} and a {@code ServiceId}'s {@code Type} say. The rule
 * is the awsxray exporter's ({@code cloud.provider}, {@code cloud.platform}, the ECS launch type), and
 * it lives once, in kansoku-aws: a segment is translated for the resource and its origin read back.
 *
 * <p>One addition: {@code cloud.platform} {@code aws_lambda} is {@code AWS::Lambda::Function}. That is
 * how the awsxray receiver keeps a document's origin {@code AWS::Lambda::Function}, and what X-Ray
 * shows for a function (Lambda writes its segments), while the exporter writes no origin for Lambda.
 * Stateless, thread-safe.
 */
final class SegmentOrigin {
  static final String LAMBDA_FUNCTION = "AWS::Lambda::Function";
  // The origin depends on the resource alone: any segment of it will do.
  private static final TraceId PROBE_TRACE = TraceId.parse("1-5759e988-bd862e3fe1be46a994272793");

  private SegmentOrigin() {}

  /** The origin of a segment of {@code resource}, or null when X-Ray would know none. */
  @Nullable
  static String of(Map<String, Object> resource) {
    if (resource.isEmpty()) {
      return null;
    }
    SpanRecord probe = SpanRecord.builder().traceId(PROBE_TRACE).spanId(new SpanId(1)).serviceName("origin")
        .name("origin").kind(SpanKind.SERVER).startNanos(1).endNanos(1).resourceAttributes(resource).build();
    List<String> docs = XraySegments.translate(SpansToOtlp.request(List.of(probe)), XrayOptions.DEFAULT);
    String origin = "";
    if (!docs.isEmpty()) {
      try {
        origin = XrayApi.MAPPER.readTree(docs.get(0)).path("origin").asText("");
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("the segment translator wrote a document that is not JSON: " + docs.get(0), e);
      }
    }
    if (!origin.isEmpty()) {
      return origin;
    }
    return lambda(resource) ? LAMBDA_FUNCTION : null;
  }

  /** Whether {@code resource} is a Lambda function's on AWS: the one origin the exporter does not write. */
  static boolean lambda(Map<String, Object> resource) {
    Object provider = resource.get("cloud.provider");
    return (provider == null || "aws".equals(provider)) && "aws_lambda".equals(resource.get("cloud.platform"));
  }
}
