package dev.kansoku.store;

import dev.kansoku.model.SpanRecord;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * The node an outgoing span calls when nothing instrumented answers it, named and typed as X-Ray
 * infers it: an AWS resource ({@code AWS::DynamoDB::Table} named by the table,
 * {@code AWS::SQS::Queue}, {@code AWS::S3::Bucket}, {@code AWS::SNS::Topic},
 * {@code AWS::Lambda::Function}, {@code AWS::Kinesis::Stream}), else the AWS service
 * ({@code AWS::DynamoDB} named "DynamoDB" for a call that targets no one table), else a
 * {@code remote} named by the peer (a subsegment sent alone: by its own name, as X-Ray does).
 *
 * <p>An AWS call is recognised by what its span carries from either door: the X-Ray translation's
 * {@code aws.service} (a subsegment in the {@code aws} namespace), the OpenTelemetry AWS SDK
 * instrumentation's {@code rpc.system=aws-api} with {@code rpc.service}, or ADOT's Application
 * Signals {@code aws.remote.resource.type}/{@code .identifier}, which already say type and name.
 * Stateless.
 */
final class InferredNodes {
  /** A node's name and type. */
  record Peer(String name, String type) {}

  private static final List<String> PEER_KEYS = List.of("peer.service", "server.address", "net.peer.name");
  private static final List<String> URL_KEYS = List.of("http.url", "url.full");

  /** Canonical AWS service names, by lower-cased spelling (X-Ray SDKs, the OTel agent, ADOT). */
  private static final Map<String, String> SERVICES = Map.of(
      "dynamodb", "DynamoDB", "sqs", "SQS", "s3", "S3", "sns", "SNS", "lambda", "Lambda", "kinesis", "Kinesis");

  private InferredNodes() {}

  /**
   * The node {@code s} calls, or null when the span names no peer. {@code service} is the span's
   * service in its trace: when that is not the span's own {@code service.name}, the span is an
   * independent subsegment, whose own name is the remote's, as X-Ray names the node.
   */
  @Nullable
  static Peer of(SpanRecord s, String service) {
    String resourceType = text(s, "aws.remote.resource.type");
    String resourceId = text(s, "aws.remote.resource.identifier");
    if (resourceType != null && resourceId != null) {
      return new Peer(resourceId, resourceType);
    }
    String awsService = awsService(s);
    if (awsService != null) {
      return aws(s, awsService);
    }
    for (String k : PEER_KEYS) {
      String v = text(s, k);
      if (v != null) {
        return new Peer(v, ServiceGraph.Node.REMOTE);
      }
    }
    for (String k : URL_KEYS) {
      String host = host(text(s, k));
      if (host != null) {
        return new Peer(host, ServiceGraph.Node.REMOTE);
      }
    }
    if (!s.serviceName().equals(service)) {
      return new Peer(s.serviceName(), ServiceGraph.Node.REMOTE);
    }
    String db = text(s, "db.system");
    return db == null ? null : new Peer(db, ServiceGraph.Node.REMOTE);
  }

  @Nullable
  private static String awsService(SpanRecord s) {
    String service = text(s, "aws.service");
    if (service == null && "aws-api".equals(text(s, "rpc.system"))) {
      service = text(s, "rpc.service");
    }
    if (service == null) {
      return null;
    }
    return SERVICES.getOrDefault(service.toLowerCase(Locale.ROOT), service);
  }

  private static Peer aws(SpanRecord s, String service) {
    String resource = switch (service) {
      case "DynamoDB" -> first(text(s, "aws.table_name"), onlyTable(text(s, "aws.dynamodb.table_names")));
      case "SQS" -> first(text(s, "aws.queue.name"), lastPart(first(text(s, "aws.queue_url"),
          text(s, "aws.queue.url"), text(s, "messaging.url")), '/'));
      case "S3" -> first(text(s, "aws.bucket.name"), text(s, "aws.s3.bucket"));
      case "SNS" -> lastPart(first(text(s, "aws.sns.topic.arn"), text(s, "messaging.destination.name")), ':');
      case "Lambda" -> first(text(s, "aws.lambda.function.name"), text(s, "faas.invoked_name"));
      case "Kinesis" -> first(text(s, "aws.stream.name"), text(s, "aws.kinesis.stream_name"));
      default -> null;
    };
    if (resource == null) {
      return new Peer(service, "AWS::" + service);
    }
    String kind = switch (service) {
      case "DynamoDB" -> "Table";
      case "SQS" -> "Queue";
      case "S3" -> "Bucket";
      case "SNS" -> "Topic";
      case "Lambda" -> "Function";
      default -> "Stream";
    };
    return new Peer(resource, "AWS::" + service + "::" + kind);
  }

  /**
   * The one table of a DynamoDB call; a call over several tables targets none of them. The model
   * keeps an OTLP array as its JSON text ({@code ["scores"]}); table names hold no quotes or commas.
   */
  @Nullable
  private static String onlyTable(@Nullable String tables) {
    if (tables == null || !tables.startsWith("[")) {
      return tables;
    }
    String inner = tables.endsWith("]") ? tables.substring(1, tables.length() - 1) : "";
    boolean one = inner.length() > 2 && inner.startsWith("\"") && inner.endsWith("\"") && inner.indexOf(',') < 0;
    return one ? inner.substring(1, inner.length() - 1) : null;
  }

  @Nullable
  private static String lastPart(@Nullable String s, char separator) {
    if (s == null) {
      return null;
    }
    String trimmed = s.endsWith(String.valueOf(separator)) ? s.substring(0, s.length() - 1) : s;
    String last = trimmed.substring(trimmed.lastIndexOf(separator) + 1);
    return last.isEmpty() ? null : last;
  }

  @Nullable
  private static String host(@Nullable String url) {
    if (url == null) {
      return null;
    }
    try {
      String host = URI.create(url).getHost();
      return host == null || host.isEmpty() ? null : host;
    } catch (IllegalArgumentException e) {
      return null; // not a URL: no host to name
    }
  }

  @Nullable
  private static String first(@Nullable String... values) {
    for (String v : values) {
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  @Nullable
  private static String text(SpanRecord s, String key) {
    Object v = s.attributes().get(key);
    return v instanceof String str && !str.isEmpty() ? str : null;
  }
}
