package dev.kansoku.awsapi.xray;

import dev.kansoku.store.AttributeCondition;
import dev.kansoku.store.TraceFilter;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * Compiles X-Ray filter expressions (GetTraceSummaries' {@code FilterExpression}) into the store's
 * {@link TraceFilter} tree, so that every backend evaluates them through the shared matcher.
 *
 * <p>Grammar (keywords case-insensitive; juxtaposition means AND, as X-Ray allows {@code ok !partial}):
 * <pre>
 * or     = and { (OR | ||) and }
 * and    = unary { [AND | &amp;&amp;] unary }
 * unary  = (! | NOT) unary | "(" or ")" | predicate
 * </pre>
 * Meaning, chosen to agree with the flags GetTraceSummaries reports ({@code HasFault} etc. are "any
 * span"): {@code fault}/{@code error}/{@code throttle} = some span has it; {@code ok} = no span has a
 * fault or error; {@code responsetime} and {@code http.*} look at the root span, {@code duration} at
 * the whole trace; {@code user}, {@code annotation.k} and {@code partial} at any span.
 * Inside {@code service(x) { … }} each predicate means "some span of x satisfies it" (so
 * {@code !fault} there means x had no fault), and the node must be touched; {@code edge(a, b) { … }}
 * applies its braces to b's spans, as the callee's answers are what the edge statistics count.
 *
 * <p>Not supported (an error naming the word and its offset): {@code rootcause.*}, {@code group.*},
 * {@code inferred}, {@code first}, {@code last}, {@code remote}, {@code index}, {@code coverage},
 * {@code message}, {@code type}, {@code resource.arn}, and {@code id(type: …)} for types other than
 * the instrumented-service origins. Stateless.
 *
 * <p>{@link FilterTokenizer} cuts the text into tokens, {@link FilterParser} builds the tree.
 */
final class FilterExpressions {
  /** A filter expression the compiler cannot accept; {@link #offset()} is where (0-based). */
  static final class InvalidFilterException extends IllegalArgumentException {
    private final int offset;

    InvalidFilterException(String message, int offset) {
      super(message, null);
      this.offset = offset;
    }

    int offset() {
      return offset;
    }
  }

  /**
   * Segment origins (service node types) to what a segment's resource holds for them: what the
   * awsxray receiver stores an origin as, and what the exporter's rule reads back ({@link SegmentOrigin}).
   * {@code AWS::ECS::Container} holds for an ECS task of either launch type.
   */
  static final Map<String, List<AttributeCondition>> ORIGIN_CONDITIONS = Map.of(
      "AWS::EC2::Instance", platform("aws_ec2"),
      "AWS::ECS::Container", platform("aws_ecs"),
      "AWS::ECS::EC2", platform("aws_ecs", "ec2"),
      "AWS::ECS::Fargate", platform("aws_ecs", "fargate"),
      "AWS::EKS::Container", platform("aws_eks"),
      "AWS::ElasticBeanstalk::Environment", platform("aws_elastic_beanstalk"),
      SegmentOrigin.LAMBDA_FUNCTION, platform("aws_lambda"),
      "AWS::AppRunner::Service", platform("aws_app_runner"));

  private static List<AttributeCondition> platform(String platform) {
    return List.of(AttributeCondition.equalTo("cloud.platform", platform));
  }

  private static List<AttributeCondition> platform(String platform, String launchType) {
    return List.of(AttributeCondition.equalTo("cloud.platform", platform),
        AttributeCondition.equalTo("aws.ecs.launchtype", launchType));
  }

  private FilterExpressions() {}

  /** The compiled expression; blank text is null (no filter). */
  @Nullable
  static TraceFilter compile(@Nullable String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    FilterParser p = new FilterParser(text);
    TraceFilter f = p.or(null);
    if (p.peek().kind() != FilterTokenizer.Kind.EOF) {
      throw p.error("unexpected " + p.peek().describe(), p.peek(), "AND, OR or the end of the expression");
    }
    return f;
  }
}
