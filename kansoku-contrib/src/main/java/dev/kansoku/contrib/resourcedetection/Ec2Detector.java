package dev.kansoku.contrib.resourcedetection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.contrib.attraction.GoRegex;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ec2}: the instance identity document and host name from instance metadata ({@link Imds}).
 * An instance-id that cannot be read means "not on EC2": nothing is added (or, with
 * fail_on_missing_metadata, detection fails). Instance tags whose key matches one of {@code tags}
 * become {@code ec2.tag.<key>}, read with DescribeTags (or from instance metadata with
 * {@code tags_from_imds}); a tag failure is logged and the other attributes stay, as upstream.
 */
final class Ec2Detector implements Detector {
  private static final Logger log = LoggerFactory.getLogger(Ec2Detector.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  static final String SCHEMA_URL = "https://opentelemetry.io/schemas/1.6.1";
  static final String TAG_PREFIX = "ec2.tag.";

  private final Imds imds;
  private final Predicate<String> enabled;
  private final List<GoRegex> tagKeys;
  private final boolean tagsFromImds;
  private final boolean failOnMissing;
  @Nullable private final Ec2TagSource describeTags;

  Ec2Detector(Function<String, String> env, DetectorSettings.Ec2 settings, boolean failOnMissing,
      @Nullable Ec2TagSource describeTags) {
    this.imds = new Imds(env, settings.maxAttempts, settings.maxBackoff);
    this.enabled = settings.enabled();
    this.tagKeys = settings.tags.stream().map(GoRegex::compile).toList();
    this.tagsFromImds = settings.tagsFromImds;
    this.failOnMissing = failOnMissing || settings.failOnMissingMetadata;
    this.describeTags = describeTags;
  }

  @Override
  public Detected detect(Instant deadline) throws DetectionException {
    try {
      imds.get("meta-data/instance-id", deadline, 1);
    } catch (IOException e) {
      log.debug("resourcedetection ec2: EC2 metadata unavailable at {}: {}", imds.endpoint(), e.getMessage());
      if (failOnMissing) {
        throw new DetectionException("EC2 metadata unavailable", e);
      }
      return Detected.NONE;
    }
    JsonNode doc;
    try {
      doc = JSON.readTree(imds.get("dynamic/instance-identity/document", deadline, Integer.MAX_VALUE));
    } catch (IOException e) {
      throw new DetectionException("failed getting identity document", e);
    }
    String hostname;
    try {
      hostname = imds.get("meta-data/hostname", deadline, Integer.MAX_VALUE);
    } catch (IOException e) {
      throw new DetectionException("failed getting hostname", e);
    }
    String region = doc.path("region").asText("");
    String instanceId = doc.path("instanceId").asText("");
    Detected detected = new Attributes(enabled).str("cloud.provider", "aws").str("cloud.platform", "aws_ec2")
        .str("cloud.region", region).str("cloud.account.id", doc.path("accountId").asText(""))
        .str("cloud.availability_zone", doc.path("availabilityZone").asText(""))
        .str("host.id", instanceId).str("host.image.id", doc.path("imageId").asText(""))
        .str("host.type", doc.path("instanceType").asText("")).str("host.name", hostname)
        .detected(SCHEMA_URL);
    if (tagKeys.isEmpty()) {
      return detected;
    }
    List<KeyValue> attributes = new ArrayList<>(detected.attributes());
    try {
      tags(region, instanceId, deadline).forEach((k, v) -> {
        if (tagKeys.stream().anyMatch(p -> p.find(k))) {
          attributes.add(KeyValue.newBuilder().setKey(TAG_PREFIX + k)
              .setValue(AnyValue.newBuilder().setStringValue(v)).build());
        }
      });
    } catch (IOException | RuntimeException e) {
      log.warn("resourcedetection ec2: failed fetching ec2 instance tags: {}", e.toString());
    }
    return new Detected(attributes, SCHEMA_URL);
  }

  private Map<String, String> tags(String region, String instanceId, Instant deadline) throws IOException {
    if (!tagsFromImds) {
      // The factory refuses tags without tags_from_imds when the build has no DescribeTags.
      return describeTags.tags(region, instanceId, Duration.between(Instant.now(), deadline));
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : imds.get("meta-data/tags/instance", deadline, Integer.MAX_VALUE).split("\n")) {
      if (!key.isBlank() && tagKeys.stream().anyMatch(p -> p.find(key))) {
        String path = "meta-data/tags/instance/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20");
        out.put(key, imds.get(path, deadline, Integer.MAX_VALUE));
      }
    }
    return out;
  }
}
