package dev.kansoku.contrib.resourcedetection;

import static dev.kansoku.contrib.resourcedetection.SystemDetectorTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kansoku.contrib.resourcedetection.Detector.Detected;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ecs detector against a task metadata endpoint v4 stand-in answering as AWS's documented examples. */
class EcsDetectorTest {
  private static final Instant LATER = Instant.now().plusSeconds(30);

  @Test
  void fargate_task() throws Exception {
    try (StandIn tmde = ecs("ecs-fargate-task.json", "ecs-fargate-container.json")) {
      Detected d = new EcsDetector(Map.of(EcsDetector.V4, tmde.url() + "/v4/158d1c8083dd")::get,
          new DetectorSettings.Ecs()).detect(LATER);
      assertThat(d.attributes()).extracting(KeyValue::getKey).containsExactly("cloud.provider", "cloud.platform",
          "aws.ecs.task.arn", "aws.ecs.task.family", "aws.ecs.task.revision", "cloud.account.id", "cloud.region",
          "aws.ecs.task.id", "aws.ecs.cluster.arn", "cloud.availability_zone", "aws.ecs.launchtype",
          "aws.log.group.names", "aws.log.group.arns", "aws.log.stream.names", "aws.log.stream.arns");
      Map<String, String> t = text(d);
      assertThat(t).containsEntry("cloud.provider", "aws").containsEntry("cloud.platform", "aws_ecs")
          .containsEntry("aws.ecs.task.arn", "arn:aws:ecs:us-west-2:111122223333:task/dice/158d1c8083dd49d6b527399fd6414f5c")
          .containsEntry("aws.ecs.task.family", "dice-app").containsEntry("aws.ecs.task.revision", "7")
          .containsEntry("cloud.account.id", "111122223333").containsEntry("cloud.region", "us-west-2")
          .containsEntry("aws.ecs.task.id", "158d1c8083dd49d6b527399fd6414f5c")
          .containsEntry("aws.ecs.cluster.arn", "arn:aws:ecs:us-west-2:111122223333:cluster/dice")
          .containsEntry("cloud.availability_zone", "us-west-2c").containsEntry("aws.ecs.launchtype", "fargate")
          // the app's log group only: not the collector's own (itself) nor the stopped container's
          .containsEntry("aws.log.group.names", "[/ecs/dice]")
          .containsEntry("aws.log.group.arns", "[arn:aws:logs:us-west-2:111122223333:log-group:/ecs/dice]")
          .containsEntry("aws.log.stream.names", "[ecs/dice/158d1c8083dd49d6b527399fd6414f5c]")
          .containsEntry("aws.log.stream.arns", "[arn:aws:logs:us-west-2:111122223333:log-group:/ecs/dice:log-stream:"
              + "ecs/dice/158d1c8083dd49d6b527399fd6414f5c]");
      assertThat(d.schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.39.0");
      assertThat(tmde.requests).containsExactly("GET /v4/158d1c8083dd/task", "GET /v4/158d1c8083dd");
    }
  }

  @Test
  void ec2_task_with_a_short_cluster_name_and_an_old_task_arn() throws Exception {
    try (StandIn tmde = ecs("ecs-ec2-task.json", "ecs-ec2-container.json")) {
      // v3 only: the detector falls back to it
      Map<String, String> t = text(new EcsDetector(Map.of(EcsDetector.V3, tmde.url() + "/v3")::get,
          new DetectorSettings.Ecs()).detect(LATER));
      assertThat(t).containsEntry("aws.ecs.cluster.arn", "arn:aws:ecs:eu-central-1:444455556666:cluster/default")
          .containsEntry("aws.ecs.task.id", "9781c248-0edd-4cdb-9a93-f63cb662a5d3")
          .containsEntry("aws.ecs.launchtype", "ec2").containsEntry("cloud.availability_zone", "eu-central-1b")
          .doesNotContainKey("aws.log.group.names");
    }
  }

  @Test
  void resource_attributes_turn_single_attributes_off() throws Exception {
    try (StandIn tmde = ecs("ecs-fargate-task.json", "ecs-fargate-container.json")) {
      DetectorSettings.Ecs settings = new DetectorSettings.Ecs();
      DetectorSettings.Toggle off = new DetectorSettings.Toggle();
      off.enabled = false;
      settings.resourceAttributes.put("aws.log.group.arns", off);
      settings.resourceAttributes.put("cloud.platform", off);
      Map<String, String> t = text(new EcsDetector(Map.of(EcsDetector.V4, tmde.url())::get, settings).detect(LATER));
      assertThat(t).doesNotContainKeys("aws.log.group.arns", "cloud.platform").containsKey("aws.log.group.names");
    }
  }

  @Test
  void outside_ecs_it_adds_nothing_and_a_failing_endpoint_is_an_error() throws Exception {
    assertThat(new EcsDetector(Map.<String, String>of()::get, new DetectorSettings.Ecs()).detect(LATER))
        .isEqualTo(Detected.NONE);
    assertThat(new EcsDetector(Map.of(EcsDetector.V4, "not a url")::get, new DetectorSettings.Ecs()).detect(LATER))
        .isEqualTo(Detected.NONE);
    try (StandIn broken = new StandIn((m, p, h) -> new StandIn.Answer(500, "agent restarting"))) {
      assertThatThrownBy(() -> new EcsDetector(Map.of(EcsDetector.V4, broken.url())::get, new DetectorSettings.Ecs())
          .detect(LATER)).hasMessageContaining("unable to fetch task metadata: request GET " + broken.url()
          + "/task failed - status 500, response: \"agent restarting\"");
    }
  }

  private static StandIn ecs(String task, String container) {
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("task", StandIn.resource(task));
    bodies.put("self", StandIn.resource(container));
    return new StandIn((method, path, headers) -> {
      if (!method.equals("GET")) {
        return new StandIn.Answer(405, "");
      }
      return new StandIn.Answer(200, path.endsWith("/task") ? bodies.get("task") : bodies.get("self"));
    });
  }
}
