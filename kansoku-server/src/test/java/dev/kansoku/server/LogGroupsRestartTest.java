package dev.kansoku.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;

/**
 * CloudWatch Logs' metadata lives in the embedded store's directory, so Kansoku started again on it
 * (after a shutdown, or after {@code kill -9}) describes the same groups, streams and retention, and
 * what was deleted stays deleted, also a group whose records the store still holds.
 */
class LogGroupsRestartTest {
  @TempDir Path dir;

  private static CloudWatchLogsClient logs(int apiPort) {
    return CloudWatchLogsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + apiPort))
        .region(Region.US_WEST_2).httpClient(ApacheHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret"))).build();
  }

  /** Groups, retention, streams (one deleted): what every restart must describe the same. */
  private static void createMetadata(CloudWatchLogsClient logs) {
    logs.createLogGroup(b -> b.logGroupName("/ecs/dice"));
    logs.putRetentionPolicy(b -> b.logGroupName("/ecs/dice").retentionInDays(30));
    logs.createLogStream(b -> b.logGroupName("/ecs/dice").logStreamName("task-1"));
    logs.createLogStream(b -> b.logGroupName("/ecs/dice").logStreamName("task-2"));
    logs.deleteLogStream(b -> b.logGroupName("/ecs/dice").logStreamName("task-2"));
    logs.createLogGroup(b -> b.logGroupName("/ecs/old"));
    logs.deleteLogGroup(b -> b.logGroupName("/ecs/old"));
  }

  /** What describe answers, as comparable text: group, creation time, retention, streams and theirs. */
  private static List<String> describe(CloudWatchLogsClient logs) {
    return logs.describeLogGroups(b -> b.logGroupNamePrefix("/ecs/")).logGroups().stream()
        .map(g -> g.logGroupName() + " created " + g.creationTime() + " retention " + g.retentionInDays()
            + " streams " + logs.describeLogStreams(b -> b.logGroupName(g.logGroupName())).logStreams().stream()
                .map(s -> s.logStreamName() + "@" + s.creationTime()).toList())
        .toList();
  }

  @Test
  void metadataAndDeletionsSurviveARestart() throws Exception {
    int grpcPort = SeedPipelineTest.freePort();
    int apiPort = SeedPipelineTest.freePort();
    Map<String, String> env = Map.of("GRPC_PORT", String.valueOf(grpcPort), "API_PORT", String.valueOf(apiPort),
        "STORAGE_TYPE", "embedded", "DATA_DIR", dir.resolve("data").toString());
    List<String> before;
    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/store-query.yaml"), env::get);
        CloudWatchLogsClient logs = logs(apiPort)) {
      createMetadata(logs);
      sendOtlpLog(grpcPort, "/ecs/otlp", "task-9");
      awaitGroup(logs, "/ecs/otlp"); // adopted from the store's names
      logs.deleteLogGroup(b -> b.logGroupName("/ecs/otlp"));
      before = describe(logs);
    }
    assertThat(before).hasSize(1).first().asString().startsWith("/ecs/dice created ")
        .contains(" retention 30 streams [task-1@");

    try (Kansoku k = Kansoku.start(List.of("src/test/resources/config/store-query.yaml"), env::get);
        CloudWatchLogsClient logs = logs(apiPort)) {
      assertThat(describe(logs)).isEqualTo(before);
      // The store still holds the OTLP group's record; its recorded deletion keeps it from coming back.
      assertThat(WebClient.of("http://127.0.0.1:" + apiPort).blocking().get("/api/log-groups").contentUtf8())
          .contains("/ecs/otlp");
      assertThatThrownBy(() -> logs.filterLogEvents(b -> b.logGroupName("/ecs/otlp")))
          .isInstanceOf(ResourceNotFoundException.class);
      logs.createLogStream(b -> b.logGroupName("/ecs/dice").logStreamName("task-2"));
      List<LogStream> streams = logs.describeLogStreams(b -> b.logGroupName("/ecs/dice")).logStreams();
      assertThat(streams).extracting(LogStream::logStreamName).containsExactly("task-1", "task-2");
    }
  }

  @Test
  void metadataSurvivesKill9() throws Exception {
    int apiPort = SeedPipelineTest.freePort();
    Map<String, String> env = Map.of("GRPC_PORT", String.valueOf(SeedPipelineTest.freePort()), "API_PORT",
        String.valueOf(apiPort), "DATA_DIR", dir.resolve("data").toString());
    List<String> before;
    try (ChildKansoku child = ChildKansoku.start(dir.resolve("first"), List.of("-Xmx256m"), env, "--config",
        "src/test/resources/config/store-durable.yaml"); CloudWatchLogsClient logs = logs(apiPort)) {
      child.awaitStarted();
      createMetadata(logs);
      before = describe(logs);
      child.process.destroyForcibly();
      assertThat(child.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(child.process.exitValue()).isEqualTo(137);
    }
    assertThat(before).hasSize(1);
    try (ChildKansoku again = ChildKansoku.start(dir.resolve("again"), List.of("-Xmx256m"), env, "--config",
        "src/test/resources/config/store-durable.yaml"); CloudWatchLogsClient logs = logs(apiPort)) {
      again.awaitStarted();
      assertThat(describe(logs)).isEqualTo(before);
      assertThat(logs.describeLogGroups(b -> b.logGroupNamePrefix("/ecs/old")).logGroups())
          .extracting(LogGroup::logGroupName).isEmpty();
    }
  }

  private static void sendOtlpLog(int grpcPort, String group, String stream) {
    long now = System.currentTimeMillis() * 1_000_000L;
    Resource resource = Resource.newBuilder().addAttributes(text("service.name", "dice-server"))
        .addAttributes(text("aws.log.group.names", group)).addAttributes(text("aws.log.stream.names", stream)).build();
    LogRecord record = LogRecord.newBuilder().setTimeUnixNano(now).setObservedTimeUnixNano(now)
        .setBody(AnyValue.newBuilder().setStringValue("rolled a 4")).build();
    GrpcClients.newClient("http://127.0.0.1:" + grpcPort, LogsServiceGrpc.LogsServiceBlockingStub.class)
        .export(ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder().setResource(resource)
            .addScopeLogs(ScopeLogs.newBuilder().addLogRecords(record))).build());
  }

  private static KeyValue text(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
  }

  /** The batch processor acknowledges before the store has the record: wait until the group is listed. */
  private static void awaitGroup(CloudWatchLogsClient logs, String group) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      if (!logs.describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().isEmpty()) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(group + " not listed within 5 s of its OTLP record");
  }
}
