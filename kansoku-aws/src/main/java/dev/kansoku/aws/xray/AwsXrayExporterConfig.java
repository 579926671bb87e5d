package dev.kansoku.aws.xray;

import dev.kansoku.aws.AwsSessionConfig;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * {@code awsxray} exporter settings: the shared AWS session settings plus the collector exporter's
 * own keys. Example:
 *
 * <pre>
 * exporters:
 *   awsxray:
 *     region: us-west-2
 *     indexed_attributes: [http.route]
 * </pre>
 */
public final class AwsXrayExporterConfig extends AwsSessionConfig {
  /** Accepted for compatibility: the collector skips its EC2 metadata lookup; Kansoku never does one. Example: true. */
  public boolean localMode;
  /** Accepted for compatibility (ARN of the resource running the collector, used by the collector's telemetry). */
  public String resourceArn = "";
  /**
   * CloudWatch log groups written to each segment's aws.cloudwatch_logs when the resource names
   * none (aws.log.group.arns / aws.log.group.names win). Example: [/ecs/dice-server].
   */
  @Nullable public List<String> awsLogGroups;
  /** Attributes written as X-Ray annotations (indexed, searchable) instead of metadata. Example: [http.route]. */
  public List<String> indexedAttributes = new ArrayList<>();
  /** Every string, number and boolean attribute becomes an annotation. Example: false. */
  public boolean indexAllAttributes;
  /** The collector's X-Ray telemetry records; accepted, not sent. */
  public Telemetry telemetry = new Telemetry();
  /**
   * Concurrent PutTraceSegments calls (the collector's default is 8); sets sending_queue::num_consumers.
   * Example: 8.
   */
  private int numWorkers = 8;

  /** {@code telemetry:} of the collector; only {@code enabled} is accepted. */
  public static final class Telemetry {
    /** Whether the collector would send PutTelemetryRecords; Kansoku does not. Example: false. */
    public boolean enabled;
  }

  void setNumWorkers(int numWorkers) {
    this.numWorkers = numWorkers;
    sendingQueue.numConsumers = numWorkers;
  }

  int numWorkers() {
    return numWorkers;
  }

  XrayOptions translatorOptions() {
    return XrayOptions.DEFAULT.withIndexedAttributes(indexedAttributes).withIndexAllAttributes(indexAllAttributes)
        .withLogGroupNames(awsLogGroups)
        .withSkipTimestampValidation(AwsXrayExporterFactory.SKIP_TIMESTAMP_VALIDATION.isEnabled())
        .withAllowDotInAnnotationKeys(AwsXrayExporterFactory.ALLOW_DOT.isEnabled());
  }

  @Override
  public void validate() {
    super.validate();
    if (numWorkers <= 0) {
      throw new IllegalArgumentException("num_workers: " + numWorkers + " (expected: > 0)");
    }
    if (indexedAttributes == null) {
      throw new IllegalArgumentException("indexed_attributes: null (expected: a list of attribute names)");
    }
  }
}
