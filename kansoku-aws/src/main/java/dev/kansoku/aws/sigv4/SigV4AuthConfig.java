package dev.kansoku.aws.sigv4;

import dev.kansoku.pipeline.Validatable;

/**
 * {@code sigv4auth}: signs exporter requests with AWS Signature Version 4, e.g. {@code otlphttp} to
 * {@code https://xray.<region>.amazonaws.com/v1/traces} or {@code https://logs.<region>.amazonaws.com/v1/logs}.
 */
final class SigV4AuthConfig implements Validatable {
  /** Signing region; when empty, taken from the endpoint host (xray.us-west-2.amazonaws.com). Example: us-west-2. */
  String region = "";
  /** Signing service; when empty, taken from the endpoint host (xray, logs, monitoring). Example: xray. */
  String service = "";
  /** A role to assume for the credentials. */
  AssumeRole assumeRole = new AssumeRole();

  static final class AssumeRole {
    /** Example: arn:aws:iam::123456789012:role/otlp-writer. */
    String arn = "";
    /** Example: kansoku. */
    String sessionName = "kansoku";
    /** Region of the STS endpoint; defaults to region. */
    String stsRegion = "";
  }

  @Override
  public void validate() {
    if (!assumeRole.arn.isEmpty() && !assumeRole.arn.startsWith("arn:")) {
      throw new IllegalArgumentException("assume_role::arn: \"" + assumeRole.arn + "\" (expected: arn:aws:iam::...)");
    }
  }
}
