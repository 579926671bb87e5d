package dev.kansoku.awsapi.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.kansoku.awsapi.WriteDoors;
import dev.kansoku.awsapi.aws.AwsTargetRouter;
import dev.kansoku.model.LogRecord;
import dev.kansoku.store.Storage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CloudWatch Logs over awsJson1.1 ({@code X-Amz-Target: Logs_20140328.*}). Handlers are thin: read and
 * validate the request into a query object, ask the store (its log group metadata through the
 * {@link LogGroupRegistry}), encode the answer in CloudWatch's member names. By role: group and
 * stream operations ({@link LogGroups}), PutLogEvents into the pipeline ({@link LogPuts}),
 * GetLogEvents and FilterLogEvents ({@link LogReads}), Logs Insights ({@link InsightsQueries}); this
 * class dispatches, maps errors, and holds what they share.
 */
public final class LogsApi implements AwsTargetRouter.TargetHandler {
  private static final Logger log = LoggerFactory.getLogger(LogsApi.class);
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TARGET_PREFIX = "Logs_20140328";
  static final String ACCOUNT = "000000000000";
  private static final MediaType AWS_JSON = MediaType.parse("application/x-amz-json-1.1");
  private static final Pattern GROUP_NAME = Pattern.compile("[.\\-_/#A-Za-z0-9]{1,512}");
  private static final Pattern REGION = Pattern.compile("Credential=[^/,]*/[0-9]{8}/([a-z0-9-]+)/");
  static final long DAY_MS = 86_400_000L;

  private final Storage storage;
  private final LogGroupRegistry registry;
  private final LogGroups groups;
  private final LogPuts puts;
  private final LogReads reads;
  private final InsightsQueries insights;

  LogsApi(Storage storage, LogGroupRegistry registry, WriteDoors doors) {
    this.storage = storage;
    this.registry = registry;
    this.groups = new LogGroups(this);
    this.puts = new LogPuts(this, doors);
    this.reads = new LogReads(this);
    this.insights = new InsightsQueries(this);
  }

  /**
   * Adds CloudWatch Logs to the router; the store, with its log group catalog, is the extension's.
   * Close the result on shutdown.
   *
   * @param doors the pipelines PutLogEvents delivers to
   */
  public static AutoCloseable register(AwsTargetRouter router, Storage storage, WriteDoors doors) {
    LogsApi api = new LogsApi(storage, new LogGroupRegistry(storage.logGroups()), doors);
    router.register(TARGET_PREFIX, api, api.puts);
    return api.insights::close;
  }

  LogGroupRegistry registry() {
    return registry;
  }

  Storage storage() {
    return storage;
  }

  @Override
  public HttpResponse handle(ServiceRequestContext ctx, AggregatedHttpRequest request, String operation) {
    JsonNode in;
    try {
      String body = request.contentUtf8();
      in = body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return AwsTargetRouter.jsonError(HttpStatus.BAD_REQUEST, "SerializationException",
          "body is not JSON: " + e.getOriginalMessage());
    }
    if (!in.isObject()) {
      return AwsTargetRouter.jsonError(HttpStatus.BAD_REQUEST, "SerializationException",
          "body must be a JSON object, got " + in.getNodeType());
    }
    String region = region(request.headers().get("authorization"));
    try {
      ObjectNode out = switch (operation) {
        case "CreateLogGroup" -> groups.createLogGroup(in);
        case "CreateLogStream" -> groups.createLogStream(in);
        case "DeleteLogGroup" -> groups.deleteLogGroup(in);
        case "DeleteLogStream" -> groups.deleteLogStream(in);
        case "DescribeLogGroups" -> groups.describeLogGroups(in, region);
        case "DescribeLogStreams" -> groups.describeLogStreams(in, region);
        case "PutRetentionPolicy" -> groups.putRetentionPolicy(in);
        case "DeleteRetentionPolicy" -> groups.deleteRetentionPolicy(in);
        case LogPuts.OPERATION -> puts.putLogEvents(in);
        case "GetLogEvents" -> reads.getLogEvents(in);
        case "FilterLogEvents" -> reads.filterLogEvents(in);
        case "StartQuery" -> insights.start(in);
        case "GetQueryResults" -> insights.results(in);
        case "StopQuery" -> insights.stop(in);
        case "DescribeQueries" -> insights.describe(in);
        default -> throw new LogsException("UnknownOperationException",
            "unknown operation " + TARGET_PREFIX + "." + operation);
      };
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.OK).contentType(AWS_JSON)
          .add(AwsTargetRouter.REQUEST_ID, AwsTargetRouter.newRequestId()).build(), HttpData.ofUtf8(out.toString()));
    } catch (InsightsQuery.MalformedQuery e) {
      ObjectNode err = JSON.createObjectNode();
      err.put("__type", "MalformedQueryException");
      err.put("message", e.getMessage());
      ObjectNode ce = err.putObject("queryCompileError");
      ce.putObject("location").put("startCharOffset", e.start).put("endCharOffset", e.end);
      ce.put("message", e.getMessage());
      return HttpResponse.of(ResponseHeaders.builder(HttpStatus.BAD_REQUEST).contentType(AWS_JSON)
          .add("x-amzn-errortype", "MalformedQueryException")
          .add(AwsTargetRouter.REQUEST_ID, AwsTargetRouter.newRequestId()).build(), HttpData.ofUtf8(err.toString()));
    } catch (LogsException e) {
      return AwsTargetRouter.jsonError(e.status, e.type, e.getMessage());
    } catch (IllegalArgumentException e) {
      return AwsTargetRouter.jsonError(HttpStatus.BAD_REQUEST, "InvalidParameterException", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("{} failed", operation, e);
      return AwsTargetRouter.jsonError(HttpStatus.INTERNAL_SERVER_ERROR, "ServiceUnavailableException",
          operation + " failed: " + e);
    }
  }

  static String region(@Nullable String authorization) {
    if (authorization != null) {
      Matcher m = REGION.matcher(authorization);
      if (m.find()) {
        return m.group(1);
      }
    }
    return "us-east-1";
  }

  /** Events older than the group's retention are expired: CloudWatch deletes them lazily, we hide them. */
  long retentionFloorNanos(String group, long startNanos) {
    Integer days = registry.retention(group);
    if (days == null) {
      return Math.max(0, startNanos);
    }
    long floor = (System.currentTimeMillis() - days * DAY_MS) * 1_000_000L;
    return Math.max(startNanos, floor);
  }

  boolean visible(LogRecord r) {
    return registry.visible(r.logGroup(), r.logStream(), r.observedTimeNanos());
  }

  // ---- registry ⇄ store names

  /** Lets groups that only arrived through OTLP exist for the API, created on first sight. */
  void syncFromStore(String group) {
    if (registry.hasGroup(group) || storage.names().logGroups().contains(group)) {
      registry.adopt(group, storage.names().logStreams(group), System.currentTimeMillis());
    }
  }

  void syncAllFromStore() {
    for (String g : storage.names().logGroups()) {
      registry.adopt(g, storage.names().logStreams(g), System.currentTimeMillis());
    }
  }

  // ---- request members

  @Nullable
  static String text(JsonNode in, String member) {
    JsonNode v = in.get(member);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw LogsException.invalid(member + ": expected a string, got " + v);
    }
    return v.textValue();
  }

  static int intIn(JsonNode in, String member, int dflt, int min, int max) {
    JsonNode v = in.get(member);
    if (v == null || v.isNull()) {
      return dflt;
    }
    if (!v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
      throw LogsException.invalid(member + ": " + v + " (expected " + min + " to " + max + ")");
    }
    return v.intValue();
  }

  static String groupName(JsonNode in, String member) {
    String name = text(in, member);
    if (name == null) {
      throw LogsException.invalid(member + " is required");
    }
    if (!GROUP_NAME.matcher(name).matches()) {
      throw LogsException.invalid(member + ": '" + name
          + "' (expected 1 to 512 of letters, digits and . - _ / #)");
    }
    return name;
  }

  static String streamName(JsonNode in, String member) {
    String name = text(in, member);
    if (name == null) {
      throw LogsException.invalid(member + " is required");
    }
    if (name.isEmpty() || name.length() > 512 || name.indexOf(':') >= 0 || name.indexOf('*') >= 0) {
      throw LogsException.invalid(member + ": '" + name + "' (expected 1 to 512 characters without : or *)");
    }
    return name;
  }

  /** Exactly one of logGroupName and logGroupIdentifier (a name or an ARN). */
  static String groupOrIdentifier(JsonNode in) {
    String name = text(in, "logGroupName");
    String id = text(in, "logGroupIdentifier");
    if ((name == null) == (id == null)) {
      throw LogsException.invalid("exactly one of logGroupName and logGroupIdentifier is required, got "
          + (name == null ? "neither" : "both"));
    }
    return name != null ? groupName(in, "logGroupName") : identifierToName(id);
  }

  static String identifierToName(String id) {
    if (id.startsWith("arn:")) {
      int at = id.indexOf(":log-group:");
      if (at < 0) {
        throw LogsException.invalid("logGroupIdentifier: '" + id + "' is not a log group ARN");
      }
      String rest = id.substring(at + ":log-group:".length());
      return rest.endsWith(":*") ? rest.substring(0, rest.length() - 2) : rest;
    }
    return id;
  }

  static String encodeToken(String plain) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw LogsException.invalid("nextToken: '" + token + "' (not a token this service issued)");
    }
  }
}
