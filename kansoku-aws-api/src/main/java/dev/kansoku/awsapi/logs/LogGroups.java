package dev.kansoku.awsapi.logs;

import static dev.kansoku.awsapi.logs.LogsApi.ACCOUNT;
import static dev.kansoku.awsapi.logs.LogsApi.JSON;
import static dev.kansoku.awsapi.logs.LogsApi.decodeToken;
import static dev.kansoku.awsapi.logs.LogsApi.encodeToken;
import static dev.kansoku.awsapi.logs.LogsApi.groupName;
import static dev.kansoku.awsapi.logs.LogsApi.groupOrIdentifier;
import static dev.kansoku.awsapi.logs.LogsApi.identifierToName;
import static dev.kansoku.awsapi.logs.LogsApi.intIn;
import static dev.kansoku.awsapi.logs.LogsApi.streamName;
import static dev.kansoku.awsapi.logs.LogsApi.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The log group and stream operations of CloudWatch Logs: create, delete, retention and describe,
 * answered from the log group metadata ({@link LogsApi#registry}) with the groups and streams that
 * only the store knows adopted first. Thread-safe (the registry is).
 */
final class LogGroups {
  private static final Set<Integer> RETENTION_DAYS = Set.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545,
      731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

  private final LogsApi api;

  LogGroups(LogsApi api) {
    this.api = api;
  }

  ObjectNode createLogGroup(JsonNode in) {
    String name = groupName(in, "logGroupName");
    if (!api.registry().createGroup(name, System.currentTimeMillis())) {
      throw new LogsException("ResourceAlreadyExistsException", "The specified log group already exists: " + name);
    }
    return JSON.createObjectNode();
  }

  ObjectNode createLogStream(JsonNode in) {
    String group = groupName(in, "logGroupName");
    String stream = streamName(in, "logStreamName");
    api.syncFromStore(group);
    Boolean created = api.registry().createStream(group, stream, System.currentTimeMillis());
    if (created == null) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    if (!created) {
      throw new LogsException("ResourceAlreadyExistsException", "The specified log stream already exists: " + stream);
    }
    return JSON.createObjectNode();
  }

  ObjectNode deleteLogGroup(JsonNode in) {
    String group = groupName(in, "logGroupName");
    api.syncFromStore(group);
    if (!api.registry().deleteGroup(group, api.storage().names().logStreams(group))) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    return JSON.createObjectNode();
  }

  ObjectNode deleteLogStream(JsonNode in) {
    String group = groupName(in, "logGroupName");
    String stream = streamName(in, "logStreamName");
    api.syncFromStore(group);
    if (!api.registry().hasGroup(group)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    if (!api.registry().deleteStream(group, stream)) {
      throw LogsException.notFound("The specified log stream does not exist: " + stream);
    }
    return JSON.createObjectNode();
  }

  ObjectNode putRetentionPolicy(JsonNode in) {
    String group = groupName(in, "logGroupName");
    JsonNode d = in.get("retentionInDays");
    if (d == null || !d.canConvertToInt()) {
      throw LogsException.invalid("retentionInDays: " + d + " (required; one of " + sortedRetentions() + ")");
    }
    if (!RETENTION_DAYS.contains(d.intValue())) {
      throw LogsException.invalid("1 validation error detected: Value '" + d.intValue()
          + "' at 'retentionInDays' failed to satisfy constraint: Member must satisfy enum value set: "
          + sortedRetentions());
    }
    api.syncFromStore(group);
    if (!api.registry().setRetention(group, d.intValue())) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    return JSON.createObjectNode();
  }

  private static List<Integer> sortedRetentions() {
    return RETENTION_DAYS.stream().sorted().toList();
  }

  ObjectNode deleteRetentionPolicy(JsonNode in) {
    String group = groupName(in, "logGroupName");
    api.syncFromStore(group);
    if (!api.registry().setRetention(group, null)) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    return JSON.createObjectNode();
  }

  ObjectNode describeLogGroups(JsonNode in, String region) {
    String prefix = text(in, "logGroupNamePrefix");
    String pattern = text(in, "logGroupNamePattern");
    if (prefix != null && pattern != null) {
      throw LogsException.invalid("logGroupNamePrefix and logGroupNamePattern are mutually exclusive");
    }
    int limit = intIn(in, "limit", 50, 1, 50);
    Set<String> ids = new LinkedHashSet<>();
    for (JsonNode id : in.path("logGroupIdentifiers")) {
      ids.add(identifierToName(id.asText()));
    }
    api.syncAllFromStore();
    String after = text(in, "nextToken") == null ? null : decodeToken(text(in, "nextToken"));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("logGroups");
    String last = null;
    boolean more = false;
    for (LogGroupRegistry.GroupInfo g : api.registry().groups()) {
      if ((prefix != null && !g.name().startsWith(prefix)) || (pattern != null && !g.name().contains(pattern))
          || (!ids.isEmpty() && !ids.contains(g.name())) || (after != null && g.name().compareTo(after) <= 0)) {
        continue;
      }
      if (arr.size() == limit) {
        more = true;
        break;
      }
      ObjectNode o = arr.addObject();
      o.put("logGroupName", g.name());
      o.put("creationTime", g.creationTimeMillis());
      if (g.retentionInDays() != null) {
        o.put("retentionInDays", g.retentionInDays());
      }
      o.put("metricFilterCount", 0);
      String arn = "arn:aws:logs:" + region + ":" + ACCOUNT + ":log-group:" + g.name();
      o.put("arn", arn + ":*");
      o.put("logGroupArn", arn);
      o.put("storedBytes", g.storedBytes());
      o.put("logGroupClass", "STANDARD");
      last = g.name();
    }
    if (more) {
      out.put("nextToken", encodeToken(last));
    }
    return out;
  }

  ObjectNode describeLogStreams(JsonNode in, String region) {
    String group = groupOrIdentifier(in);
    String prefix = text(in, "logStreamNamePrefix");
    String orderBy = text(in, "orderBy") == null ? "LogStreamName" : text(in, "orderBy");
    if (!orderBy.equals("LogStreamName") && !orderBy.equals("LastEventTime")) {
      throw LogsException.invalid("orderBy: '" + orderBy + "' (expected LogStreamName or LastEventTime)");
    }
    if (prefix != null && orderBy.equals("LastEventTime")) {
      throw LogsException.invalid("Cannot order by LastEventTime with a logStreamNamePrefix.");
    }
    boolean descending = in.path("descending").asBoolean(false);
    int limit = intIn(in, "limit", 50, 1, 50);
    api.syncFromStore(group);
    List<LogGroupRegistry.StreamInfo> streams = api.registry().streams(group);
    if (streams == null) {
      throw LogsException.notFound("The specified log group does not exist: " + group);
    }
    List<LogGroupRegistry.StreamInfo> sorted = new ArrayList<>();
    for (LogGroupRegistry.StreamInfo s : streams) {
      if (prefix == null || s.name().startsWith(prefix)) {
        sorted.add(s);
      }
    }
    if (orderBy.equals("LastEventTime")) {
      sorted.sort((a, b) -> {
        long ta = a.lastEventTimestamp() == null ? Long.MIN_VALUE : a.lastEventTimestamp();
        long tb = b.lastEventTimestamp() == null ? Long.MIN_VALUE : b.lastEventTimestamp();
        return ta != tb ? Long.compare(ta, tb) : a.name().compareTo(b.name());
      });
    }
    if (descending) {
      Collections.reverse(sorted);
    }
    // The token is an offset into this ordering: simple and stable while streams are not created meanwhile.
    int from = text(in, "nextToken") == null ? 0 : offsetToken(text(in, "nextToken"));
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("logStreams");
    int end = Math.min(sorted.size(), from + limit);
    for (int i = from; i < end; i++) {
      LogGroupRegistry.StreamInfo s = sorted.get(i);
      ObjectNode o = arr.addObject();
      o.put("logStreamName", s.name());
      o.put("creationTime", s.creationTimeMillis());
      if (s.firstEventTimestamp() != null) {
        o.put("firstEventTimestamp", s.firstEventTimestamp());
        o.put("lastEventTimestamp", s.lastEventTimestamp());
        o.put("lastIngestionTime", s.lastIngestionTime());
      }
      o.put("uploadSequenceToken", sequenceToken(s.sequence()));
      o.put("arn", "arn:aws:logs:" + region + ":" + ACCOUNT + ":log-group:" + group + ":log-stream:" + s.name());
      o.put("storedBytes", 0); // CloudWatch has reported 0 here since 2019
    }
    if (end < sorted.size()) {
      out.put("nextToken", encodeToken(Integer.toString(end)));
    }
    return out;
  }

  static String sequenceToken(long seq) {
    return String.format("%056d", seq);
  }

  private static int offsetToken(String token) {
    try {
      return Integer.parseInt(decodeToken(token));
    } catch (NumberFormatException e) {
      throw LogsException.invalid("nextToken: '" + token + "' (not a token this service issued)");
    }
  }
}
