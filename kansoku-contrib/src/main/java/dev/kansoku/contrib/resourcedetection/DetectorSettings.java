package dev.kansoku.contrib.resourcedetection;

import dev.kansoku.contrib.attraction.GoRegex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import javax.annotation.Nullable;

/** The per-detector blocks of {@code resourcedetection} ({@code system:}, {@code ec2:} …), upstream's keys. */
final class DetectorSettings {
  private DetectorSettings() {}

  /** {@code resource_attributes::<attribute>}: {@code {enabled: true|false}}; absent means the detector's default. */
  static final class Toggle {
    @Nullable Boolean enabled;
  }

  /** What every detector block has: which attributes to emit. */
  abstract static class WithAttributes {
    /** Turn single attributes on or off. Example: {host.id: {enabled: true}, os.type: {enabled: false}}. */
    Map<String, Toggle> resourceAttributes = new LinkedHashMap<>();

    /** The detector's attributes and whether each is emitted by default, as upstream's metadata.yaml says. */
    abstract Map<String, Boolean> defaults();

    void validate(String path) {
      for (String key : resourceAttributes.keySet()) {
        if (!defaults().containsKey(key)) {
          throw new IllegalArgumentException(path + "::resource_attributes: unknown attribute \"" + key
              + "\" (expected one of " + String.join(", ", defaults().keySet()) + ")");
        }
      }
    }

    /** Whether {@code attribute} is emitted. */
    Predicate<String> enabled() {
      Map<String, Boolean> on = new LinkedHashMap<>(defaults());
      resourceAttributes.forEach((k, t) -> {
        if (t != null && t.enabled != null) {
          on.put(k, t.enabled);
        }
      });
      return k -> on.getOrDefault(k, false);
    }
  }

  /** {@code env}: no settings of its own. */
  static final class Env {}

  /** {@code system}: host and OS of the machine Kansoku runs on. */
  static final class SystemSettings extends WithAttributes {
    static final Set<String> SOURCES = Set.of("dns", "os", "cname", "lookup");
    static final Map<String, Boolean> DEFAULTS = table("host.name", true, "os.type", true, "host.id", false,
        "host.arch", false, "host.ip", false, "host.mac", false, "host.interface", false, "host.cpu.vendor.id", false,
        "host.cpu.family", false, "host.cpu.model.id", false, "host.cpu.model.name", false, "host.cpu.stepping", false,
        "host.cpu.cache.l2.size", false, "os.description", false, "os.name", false, "os.version", false,
        "os.build.id", false);

    /** Where host.name comes from, first that answers wins: dns, os, cname, lookup. Default [dns, os]. Example: [os]. */
    List<String> hostnameSources = new ArrayList<>();

    @Override
    Map<String, Boolean> defaults() {
      return DEFAULTS;
    }

    @Override
    void validate(String path) {
      super.validate(path);
      for (String s : hostnameSources) {
        if (!SOURCES.contains(s)) {
          throw new IllegalArgumentException(path + "::hostname_sources: invalid hostname source \"" + s
              + "\" (expected dns, os, cname or lookup)");
        }
      }
    }

    List<String> sources() {
      return hostnameSources.isEmpty() ? List.of("dns", "os") : hostnameSources;
    }
  }

  /** {@code ec2}: the instance identity document from instance metadata (IMDSv2). */
  static final class Ec2 extends WithAttributes {
    static final Map<String, Boolean> DEFAULTS = table("cloud.provider", true, "cloud.platform", true,
        "cloud.region", true, "cloud.account.id", true, "cloud.availability_zone", true, "host.id", true,
        "host.image.id", true, "host.type", true, "host.name", true);

    /** Go regular expressions; instance tags whose key matches one become ec2.tag.<key>. Example: [^Name$, ^team-]. */
    List<String> tags = new ArrayList<>();
    /** Read the tags from instance metadata (needs InstanceMetadataTags=enabled) instead of EC2 DescribeTags. */
    boolean tagsFromImds;
    /** Attempts of each metadata call. Example: 3. */
    int maxAttempts = 3;
    /** Longest pause between attempts. Example: 20s. */
    Duration maxBackoff = Duration.ofSeconds(20);
    /** Superseded by the processor's fail_on_missing_metadata; either turns it on. */
    boolean failOnMissingMetadata;

    @Override
    Map<String, Boolean> defaults() {
      return DEFAULTS;
    }

    @Override
    void validate(String path) {
      super.validate(path);
      for (int i = 0; i < tags.size(); i++) {
        try {
          GoRegex.compile(tags.get(i));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(path + "::tags::" + i + ": " + e.getMessage());
        }
      }
      if (maxAttempts < 1) {
        throw new IllegalArgumentException(path + "::max_attempts: " + maxAttempts + " (expected: >= 1)");
      }
    }
  }

  /** {@code ecs}: the task metadata endpoint (v4, else v3) of the task Kansoku runs in. */
  static final class Ecs extends WithAttributes {
    static final Map<String, Boolean> DEFAULTS = table("cloud.provider", true, "cloud.platform", true,
        "cloud.account.id", true, "cloud.region", true, "cloud.availability_zone", true, "aws.ecs.cluster.arn", true,
        "aws.ecs.task.arn", true, "aws.ecs.task.family", true, "aws.ecs.task.id", true, "aws.ecs.task.revision", true,
        "aws.ecs.launchtype", true, "aws.log.group.names", true, "aws.log.group.arns", true,
        "aws.log.stream.names", true, "aws.log.stream.arns", true);

    @Override
    Map<String, Boolean> defaults() {
      return DEFAULTS;
    }
  }

  /** {@code docker}: the Docker daemon's /info (and the container's own inspect) over its socket. */
  static final class Docker extends WithAttributes {
    static final Map<String, Boolean> DEFAULTS = table("host.name", true, "os.type", true, "container.name", false,
        "container.image.name", false);

    @Override
    Map<String, Boolean> defaults() {
      return DEFAULTS;
    }
  }

  private static Map<String, Boolean> table(Object... pairs) {
    Map<String, Boolean> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Boolean) pairs[i + 1]);
    }
    return Collections.unmodifiableMap(m);
  }
}
