package dev.kansoku.contrib.resourcedetection;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * EC2 {@code DescribeTags} for one instance, for the {@code ec2} detector's {@code tags}. The build
 * supplies it (kansoku-server wires the AWS SDK implementation of module kansoku-aws), so this
 * module needs no AWS SDK.
 */
@FunctionalInterface
public interface Ec2TagSource {
  /**
   * Every tag of instance {@code instanceId} in {@code region}, key to value, signed with the default
   * credential chain.
   */
  Map<String, String> tags(String region, String instanceId, Duration timeout) throws IOException;
}
