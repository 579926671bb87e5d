package dev.kansoku.aws.xray;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.annotation.Nullable;

/**
 * One X-Ray segment or subsegment document while it is built. Mutable and single-threaded: the
 * translator fills it, may adjust it (local-root spans become two documents) and {@link GoJson}
 * writes it. Null fields are left out of the document, except where X-Ray's schema (and the
 * collector) write an explicit null or false; see {@link GoJson}.
 */
final class Segment {
  /** Null only where the collector writes null: a local-root override by an empty attribute. */
  @Nullable String name;
  @Nullable String id;
  double startTime;
  @Nullable Service service;
  @Nullable String origin;
  @Nullable String user;
  @Nullable List<Link> links;
  String traceId;
  double endTime;
  /** Written as {@code in_progress: true} in place of end_time. */
  boolean inProgress;
  @Nullable Http http;
  boolean fault;
  boolean error;
  boolean throttle;
  @Nullable Cause cause;
  @Nullable Aws aws;
  @Nullable Map<String, Object> annotations;
  @Nullable Map<String, Map<String, Object>> metadata;
  @Nullable String namespace;
  @Nullable String parentId;
  @Nullable String type;
  @Nullable Sql sql;

  record Service(@Nullable String version) {}

  record Link(String traceId, String spanId, @Nullable Map<String, Object> attributes) {}

  static final class Http {
    // request
    @Nullable Boolean xForwardedFor;
    @Nullable String method;
    @Nullable String url;
    @Nullable String userAgent;
    @Nullable String clientIp;
    // response
    @Nullable Long status;
    long contentLength;
  }

  static final class Cause {
    final List<Exception> exceptions = new ArrayList<>();
  }

  static final class Exception {
    String id;
    @Nullable String message;
    @Nullable String type;
    @Nullable Boolean remote;
    @Nullable String cause;
    @Nullable List<StackFrame> stack;
  }

  record StackFrame(String path, int line, String label) {}

  static final class Aws {
    @Nullable Beanstalk beanstalk;
    @Nullable List<LogGroup> cloudwatchLogs;
    @Nullable Ecs ecs;
    @Nullable Ec2 ec2;
    @Nullable Eks eks;
    @Nullable XRay xray;
    @Nullable String accountId;
    @Nullable String operation;
    @Nullable String region;
    @Nullable String requestId;
    @Nullable String queueUrl;
    @Nullable String tableName;
    @Nullable List<String> tableNames;
  }

  /** All members written even when null: the collector's struct has no omitempty here. */
  record Ec2(@Nullable String instanceId, @Nullable String availabilityZone, @Nullable String instanceSize,
      @Nullable String amiId) {}

  record Ecs(@Nullable String container, @Nullable String containerId, @Nullable String taskArn,
      @Nullable String taskFamily, @Nullable String clusterArn, @Nullable String containerArn,
      @Nullable String availabilityZone, @Nullable String launchType) {}

  record Beanstalk(@Nullable String environmentName, @Nullable String versionLabel, long deploymentId) {}

  record Eks(@Nullable String clusterName, @Nullable String pod, @Nullable String containerId) {}

  record LogGroup(@Nullable String logGroup, @Nullable String arn) {}

  record XRay(@Nullable String sdk, @Nullable String sdkVersion, boolean autoInstrumentation) {}

  record Sql(@Nullable String connectionString, @Nullable String url, @Nullable String sanitizedQuery,
      @Nullable String databaseType, @Nullable String user) {}

  /** The collector's {@code awsxray.String}: "" means absent. */
  @Nullable
  static String nonEmpty(@Nullable String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
