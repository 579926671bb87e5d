package dev.kansoku.contrib.resourcedetection;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.DataConsumer;
import dev.kansoku.pipeline.Processor;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.Signal;
import dev.kansoku.pipeline.Stability;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.Nullable;

/**
 * {@code resource_detection} (formerly {@code resourcedetection}): the collector-contrib resource detection processor with the detectors
 * {@code env}, {@code system}, {@code docker}, {@code ecs} and {@code ec2}.
 */
public final class ResourceDetectionProcessorFactory implements ProcessorFactory<ResourceDetectionConfig> {
  private final HostInfo host;
  @Nullable private final Ec2TagSource describeTags;

  /** Without EC2 DescribeTags: {@code ec2::tags} then needs {@code ec2::tags_from_imds: true}. */
  public ResourceDetectionProcessorFactory() {
    this(null);
  }

  /** @param describeTags EC2 DescribeTags for {@code ec2::tags}, or null when the build has none */
  public ResourceDetectionProcessorFactory(@Nullable Ec2TagSource describeTags) {
    this(new LocalHost(), describeTags);
  }

  ResourceDetectionProcessorFactory(HostInfo host, @Nullable Ec2TagSource describeTags) {
    this.host = host;
    this.describeTags = describeTags;
  }

  @Override
  public String type() {
    return "resource_detection";
  }

  /** The name until collector-contrib v0.153. */
  @Override
  public Optional<String> deprecatedAlias() {
    return Optional.of("resourcedetection");
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public ResourceDetectionConfig createDefaultConfig() {
    return new ResourceDetectionConfig();
  }

  @Override
  public Set<Signal<?>> signals() {
    return Set.copyOf(Signal.ALL);
  }

  @Override
  public <T> Processor<T> create(ResourceDetectionConfig config, ComponentContext context, Signal<T> signal,
      DataConsumer<T> next) {
    String id = context.id().toString();
    if (describeTags == null && !config.ec2.tags.isEmpty() && !config.ec2.tagsFromImds
        && config.detectorNames().contains("ec2")) {
      throw new IllegalArgumentException("processors::" + id + "::ec2::tags: reading tags with EC2 DescribeTags is"
          + " not offered by this build; set ec2::tags_from_imds: true (the instance must allow tags in its"
          + " metadata: InstanceMetadataTags=enabled)");
    }
    DetectedResource detected = context.shared(DetectedResource.class, () -> {
      Detectors.Environment environment = new Detectors.Environment(context.env(), host, describeTags);
      Map<String, Detector> detectors = new LinkedHashMap<>();
      for (String name : config.detectorNames()) {
        detectors.putIfAbsent(name, Detectors.create(name, config, environment));
      }
      Detection detection = new Detection(id, detectors, config.timeout,
          config.attributes == null ? null : Set.copyOf(config.attributes));
      return new DetectedResource(id, detection, config.refreshInterval);
    });
    return new ResourceDetectionProcessor<>(signal, detected, config.override, next);
  }
}
