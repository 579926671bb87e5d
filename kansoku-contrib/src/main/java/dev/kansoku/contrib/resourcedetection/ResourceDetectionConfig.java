package dev.kansoku.contrib.resourcedetection;

import dev.kansoku.pipeline.Validatable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code resourcedetection}: detects the resource once at start (and every {@code refresh_interval}
 * when set) and merges it into the resource of every batch.
 */
final class ResourceDetectionConfig implements Validatable {
  /** Detectors in order; on a conflict the earlier one's value wins. Example: [env, system, ecs, ec2]. */
  List<String> detectors = new ArrayList<>(List.of("env"));
  /** Replace attributes the data already has (true), or only add missing ones (false). Example: false. */
  boolean override = true;
  /** Time for the whole detection at start, retries included; past it start fails. Example: 2s. */
  Duration timeout = Duration.ofSeconds(5);
  /**
   * Deprecated upstream in favour of each detector's resource_attributes: when set, only these
   * detected attributes are kept. Example: [host.name, cloud.region].
   */
  List<String> attributes;
  /** Run detection again this often, keeping the last good result when a run fails; 0 = never. Example: 1h. */
  Duration refreshInterval = Duration.ZERO;
  /** When true, ec2 and docker fail when their metadata source cannot be reached instead of adding nothing. */
  boolean failOnMissingMetadata;
  DetectorSettings.Env env = new DetectorSettings.Env();
  DetectorSettings.SystemSettings system = new DetectorSettings.SystemSettings();
  DetectorSettings.Ec2 ec2 = new DetectorSettings.Ec2();
  DetectorSettings.Ecs ecs = new DetectorSettings.Ecs();
  DetectorSettings.Docker docker = new DetectorSettings.Docker();

  @Override
  public void validate() {
    if (detectors == null) {
      detectors = new ArrayList<>();
    }
    for (int i = 0; i < detectors.size(); i++) {
      String name = detectors.get(i) == null ? "" : detectors.get(i).trim();
      if (!Detectors.NAMES.contains(name)) {
        throw new IllegalArgumentException("detectors::" + i + ": " + Detectors.unknown(name));
      }
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout.toMillis() + "ms (expected: > 0, e.g. 5s)");
    }
    if (refreshInterval.isNegative()) {
      throw new IllegalArgumentException("refresh_interval: " + refreshInterval.toMillis() + "ms (expected: >= 0)");
    }
    system.validate("system");
    ec2.validate("ec2");
    ecs.validate("ecs");
    docker.validate("docker");
  }

  /** The detector names, trimmed as upstream trims them. */
  List<String> detectorNames() {
    return detectors.stream().map(String::trim).toList();
  }
}
