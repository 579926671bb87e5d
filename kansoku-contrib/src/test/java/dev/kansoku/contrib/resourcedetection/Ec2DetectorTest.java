package dev.kansoku.contrib.resourcedetection;

import static dev.kansoku.contrib.resourcedetection.SystemDetectorTest.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.Headers;
import dev.kansoku.contrib.resourcedetection.Detector.Detected;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ec2 detector against an instance metadata stand-in that, as IMDSv2 with tokens required,
 * refuses every GET without a token from {@code PUT /latest/api/token}.
 */
class Ec2DetectorTest {
  private static final Instant LATER = Instant.now().plusSeconds(30);
  private static final String TOKEN = "AQAEAGx0a2VuLXN0YW5kLWlu==";

  @Test
  void identity_document_and_hostname_over_imdsv2() throws Exception {
    try (StandIn imds = imds(Map.of())) {
      Detected d = detector(imds, new DetectorSettings.Ec2(), null).detect(LATER);
      assertThat(d.attributes()).extracting(KeyValue::getKey).containsExactly("cloud.provider", "cloud.platform",
          "cloud.region", "cloud.account.id", "cloud.availability_zone", "host.id", "host.image.id", "host.type",
          "host.name");
      assertThat(text(d)).containsEntry("cloud.provider", "aws").containsEntry("cloud.platform", "aws_ec2")
          .containsEntry("cloud.region", "us-west-2").containsEntry("cloud.account.id", "111122223333")
          .containsEntry("cloud.availability_zone", "us-west-2b").containsEntry("host.id", "i-0123456789abcdef0")
          .containsEntry("host.image.id", "ami-0a1b2c3d4e5f60718").containsEntry("host.type", "m7g.large")
          .containsEntry("host.name", "ip-10-0-1-17.us-west-2.compute.internal");
      assertThat(d.schemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.6.1");
      assertThat(imds.requests).containsExactly("PUT /latest/api/token", "GET /latest/meta-data/instance-id",
          "GET /latest/dynamic/instance-identity/document", "GET /latest/meta-data/hostname");
    }
  }

  @Test
  void tags_matching_a_pattern_from_describe_tags_or_from_instance_metadata() throws Exception {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("Name", "dice-host");
    tags.put("team-owner", "observability");
    tags.put("aws:autoscaling:groupName", "dice-asg");
    try (StandIn imds = imds(tags)) {
      DetectorSettings.Ec2 s = new DetectorSettings.Ec2();
      s.tags = List.of("^Name$", "^team-");
      List<String> asked = new ArrayList<>();
      Detected viaApi = detector(imds, s, (region, instance, timeout) -> {
        asked.add(region + " " + instance);
        return tags;
      }).detect(LATER);
      assertThat(asked).containsExactly("us-west-2 i-0123456789abcdef0");
      assertThat(text(viaApi)).containsEntry("ec2.tag.Name", "dice-host")
          .containsEntry("ec2.tag.team-owner", "observability").doesNotContainKey("ec2.tag.aws:autoscaling:groupName");

      s.tagsFromImds = true;
      imds.requests.clear();
      assertThat(text(detector(imds, s, null).detect(LATER))).containsEntry("ec2.tag.Name", "dice-host")
          .containsEntry("ec2.tag.team-owner", "observability").doesNotContainKey("ec2.tag.aws:autoscaling:groupName");
      assertThat(imds.requests).contains("GET /latest/meta-data/tags/instance",
          "GET /latest/meta-data/tags/instance/team-owner").doesNotContain("GET /latest/meta-data/tags/instance/"
          + "aws%3Aautoscaling%3AgroupName");

      // a tag failure is logged; the instance attributes stay
      s.tagsFromImds = false;
      Detected failed = detector(imds, s, (r, i, t) -> {
        throw new IOException("UnauthorizedOperation");
      }).detect(LATER);
      assertThat(text(failed)).containsKey("host.id").doesNotContainKey("ec2.tag.Name");
    }
  }

  @Test
  void a_get_without_the_token_is_refused_by_the_stand_in() throws Exception {
    try (StandIn imds = imds(Map.of())) {
      java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(imds.url() + "/latest/meta-data/instance-id")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(401);
    }
  }

  @Test
  void off_ec2_nothing_is_added_unless_missing_metadata_must_fail() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Map<String, String> env = Map.of(Imds.ENDPOINT_VARIABLE, "http://127.0.0.1:" + closed);
    assertThat(new Ec2Detector(env::get, new DetectorSettings.Ec2(), false, null).detect(LATER))
        .isEqualTo(Detected.NONE);
    assertThatThrownBy(() -> new Ec2Detector(env::get, new DetectorSettings.Ec2(), true, null).detect(LATER))
        .hasMessageStartingWith("EC2 metadata unavailable: PUT http://127.0.0.1:" + closed + "/latest/api/token");
    Map<String, String> disabled = Map.of("AWS_EC2_METADATA_DISABLED", "true");
    assertThat(new Ec2Detector(disabled::get, new DetectorSettings.Ec2(), false, null).detect(LATER))
        .isEqualTo(Detected.NONE);
  }

  private static Ec2Detector detector(StandIn imds, DetectorSettings.Ec2 settings, Ec2TagSource tags) {
    return new Ec2Detector(Map.of(Imds.ENDPOINT_VARIABLE, imds.url() + "/")::get, settings, false, tags);
  }

  /** IMDSv2 as AWS documents it: a token for a TTL header, then token-bearing GETs only. */
  static StandIn imds(Map<String, String> tags) {
    String document = StandIn.resource("imds-identity-document.json");
    return new StandIn((method, path, headers) -> {
      if (path.equals("/latest/api/token")) {
        if (!method.equals("PUT")) {
          return new StandIn.Answer(405, "");
        }
        return headers.getFirst(Imds.TTL_HEADER) == null ? new StandIn.Answer(400, "")
            : new StandIn.Answer(200, TOKEN);
      }
      if (!method.equals("GET") || !TOKEN.equals(token(headers))) {
        return new StandIn.Answer(401, "");
      }
      if (path.equals("/latest/meta-data/instance-id")) {
        return new StandIn.Answer(200, "i-0123456789abcdef0");
      }
      if (path.equals("/latest/dynamic/instance-identity/document")) {
        return new StandIn.Answer(200, document);
      }
      if (path.equals("/latest/meta-data/hostname")) {
        return new StandIn.Answer(200, "ip-10-0-1-17.us-west-2.compute.internal");
      }
      if (path.equals("/latest/meta-data/tags/instance") && !tags.isEmpty()) {
        return new StandIn.Answer(200, String.join("\n", tags.keySet()));
      }
      String prefix = "/latest/meta-data/tags/instance/";
      if (path.startsWith(prefix) && tags.containsKey(path.substring(prefix.length()))) {
        return new StandIn.Answer(200, tags.get(path.substring(prefix.length())));
      }
      return new StandIn.Answer(404, "");
    });
  }

  private static String token(Headers headers) {
    return headers.getFirst(Imds.TOKEN_HEADER);
  }
}
