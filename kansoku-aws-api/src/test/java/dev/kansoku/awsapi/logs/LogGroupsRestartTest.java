package dev.kansoku.awsapi.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.QueryStatus;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResultField;

/**
 * Log group metadata on the embedded store survives a restart: groups, streams, retention, creation
 * times and stream statistics come back, and what was deleted stays unreachable through every
 * CloudWatch Logs operation (the store still holds the records; the deletion cutoffs hide them).
 */
class LogGroupsRestartTest {
  @TempDir Path dir;

  private String storage() {
    return "{\"type\":\"embedded\",\"path\":\"" + dir.resolve("data").toString().replace("\\", "\\\\") + "\"}";
  }

  private static InputLogEvent ev(long ts, String msg) {
    return InputLogEvent.builder().timestamp(ts).message(msg).build();
  }

  private static List<String> filter(CloudWatchLogsClient logs, String group) {
    return logs.filterLogEvents(b -> b.logGroupName(group)).events().stream().map(FilteredLogEvent::message).toList();
  }

  private static List<String> insights(CloudWatchLogsClient logs, String group, long now) throws Exception {
    String id = logs.startQuery(b -> b.logGroupName(group).startTime(now / 1000 - 600).endTime(now / 1000 + 60)
        .queryString("fields @message | sort @timestamp asc")).queryId();
    for (int i = 0; i < 200; i++) {
      var r = logs.getQueryResults(b -> b.queryId(id));
      if (r.status() == QueryStatus.COMPLETE) {
        return r.results().stream().map(row -> row.stream().filter(f -> f.field().equals("@message"))
            .map(ResultField::value).findFirst().orElseThrow()).toList();
      }
      Thread.sleep(20);
    }
    throw new AssertionError("query did not complete");
  }

  @Test
  void metadataAndDeletionsSurviveARestart() throws Exception {
    long now = System.currentTimeMillis();
    Map<String, Long> created;
    try (LogsServer server = new LogsServer(storage())) {
      CloudWatchLogsClient logs = server.client;
      logs.createLogGroup(b -> b.logGroupName("/ecs/dice"));
      logs.putRetentionPolicy(b -> b.logGroupName("/ecs/dice").retentionInDays(30));
      logs.createLogStream(b -> b.logGroupName("/ecs/dice").logStreamName("task-1"));
      logs.createLogStream(b -> b.logGroupName("/ecs/dice").logStreamName("task-2"));
      logs.putLogEvents(b -> b.logGroupName("/ecs/dice").logStreamName("task-1")
          .logEvents(ev(now - 2000, "kept one"), ev(now - 1000, "kept two")));
      logs.putLogEvents(b -> b.logGroupName("/ecs/dice").logStreamName("task-2").logEvents(ev(now, "stream gone")));
      logs.deleteLogStream(b -> b.logGroupName("/ecs/dice").logStreamName("task-2"));
      logs.createLogGroup(b -> b.logGroupName("/ecs/old"));
      logs.createLogStream(b -> b.logGroupName("/ecs/old").logStreamName("s"));
      logs.putLogEvents(b -> b.logGroupName("/ecs/old").logStreamName("s").logEvents(ev(now, "group gone")));
      logs.deleteLogGroup(b -> b.logGroupName("/ecs/old"));
      created = Map.of("/ecs/dice", logs.describeLogGroups(b -> b.logGroupNamePrefix("/ecs/")).logGroups().get(0)
          .creationTime());
    }
    Thread.sleep(5); // a re-created group would get a later creation time

    try (LogsServer server = new LogsServer(storage())) {
      CloudWatchLogsClient logs = server.client;
      List<LogGroup> groups = logs.describeLogGroups(b -> b.logGroupNamePrefix("/ecs/")).logGroups();
      assertThat(groups).extracting(LogGroup::logGroupName).containsExactly("/ecs/dice");
      assertThat(groups.get(0).creationTime()).isEqualTo(created.get("/ecs/dice"));
      assertThat(groups.get(0).retentionInDays()).isEqualTo(30);
      assertThat(groups.get(0).storedBytes()).isPositive();
      List<LogStream> streams = logs.describeLogStreams(b -> b.logGroupName("/ecs/dice")).logStreams();
      assertThat(streams).extracting(LogStream::logStreamName).containsExactly("task-1");
      assertThat(streams.get(0).firstEventTimestamp()).isEqualTo(now - 2000);
      assertThat(streams.get(0).lastEventTimestamp()).isEqualTo(now - 1000);
      assertThat(streams.get(0).uploadSequenceToken()).endsWith("1");

      assertThat(filter(logs, "/ecs/dice")).containsExactly("kept one", "kept two");
      assertThat(insights(logs, "/ecs/dice", now)).containsExactly("kept one", "kept two");
      assertThatThrownBy(() -> logs.getLogEvents(b -> b.logGroupName("/ecs/dice").logStreamName("task-2")))
          .isInstanceOf(ResourceNotFoundException.class);
      assertThatThrownBy(() -> filter(logs, "/ecs/old")).isInstanceOf(ResourceNotFoundException.class);

      // Created again, the names start empty: the old records stay hidden.
      logs.createLogGroup(b -> b.logGroupName("/ecs/old"));
      logs.createLogStream(b -> b.logGroupName("/ecs/old").logStreamName("s"));
      logs.createLogStream(b -> b.logGroupName("/ecs/dice").logStreamName("task-2"));
      assertThat(filter(logs, "/ecs/old")).isEmpty();
      assertThat(insights(logs, "/ecs/old", now)).isEmpty();
      assertThat(logs.getLogEvents(b -> b.logGroupName("/ecs/dice").logStreamName("task-2")).events())
          .extracting(OutputLogEvent::message).isEmpty();
      assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("/ecs/old")).logGroups().get(0).creationTime())
          .isGreaterThan(created.get("/ecs/dice"));
    }
  }

  @Test
  void anUnreadableMetadataFile_stopsTheStartWithWhatToDo() throws Exception {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/log-groups.json"), "{\"version\": 1, \"groups\": ");
    assertThatThrownBy(() -> new LogsServer(storage()).close())
        .hasMessageContaining("log-groups.json is unreadable").hasMessageContaining("move it away");
    // The store was closed again: a second start on the same directory is not locked out.
    Files.delete(dir.resolve("data/log-groups.json"));
    new LogsServer(storage()).close();
  }
}
