package dev.kansoku.aws;

import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.QueueSettings;
import dev.kansoku.pipeline.config.RetrySettings;
import java.net.URI;
import java.time.Duration;

/**
 * Settings every AWS exporter shares (the collector's awsutil session settings), written at the top
 * level of {@code awsxray} and {@code awsemf}. Exporter configurations extend this class.
 */
public abstract class AwsSessionConfig implements Validatable {
  /** AWS region; when empty, AWS_REGION / AWS_DEFAULT_REGION / the profile decide. Example: us-west-2. */
  public String region = "";
  /**
   * Service endpoint instead of AWS's; when empty the AWS SDK's variables apply
   * (AWS_ENDPOINT_URL_XRAY, AWS_ENDPOINT_URL_CLOUDWATCH_LOGS, AWS_ENDPOINT_URL). Example:
   * http://localhost:4600.
   */
  public String endpoint = "";
  /** IAM role to assume (STS) for the calls. Example: arn:aws:iam::123456789012:role/xray-writer. */
  public String roleArn = "";
  /** External id for the assumed role. */
  public String externalId = "";
  /** Region of the STS endpoint used for role_arn; defaults to region. */
  public String stsRegion = "";
  /** HTTP(S) proxy for AWS calls. Example: http://proxy.internal:3128. */
  public String proxyAddress = "";
  /** Accept any TLS certificate from the endpoint (testing only). */
  public boolean noVerifySsl;
  /** Limit of one AWS call. Example: 30. */
  public int requestTimeoutSeconds = 30;
  /** Retries inside the AWS SDK for one call, before the exporter's own retry_on_failure. Example: 2. */
  public int maxRetries = 2;
  /** Exporter-level retry for throttling and 5xx. */
  public RetrySettings retryOnFailure = new RetrySettings();
  /** Queue between the pipeline and the sender threads. */
  public QueueSettings sendingQueue = new QueueSettings();

  @Override
  public void validate() {
    if (!endpoint.isEmpty()) {
      URI uri;
      try {
        uri = URI.create(endpoint);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" is not a URL (expected e.g."
            + " https://xray.us-west-2.amazonaws.com)");
      }
      if (uri.getScheme() == null || uri.getHost() == null
          || !uri.getScheme().equals("http") && !uri.getScheme().equals("https")) {
        throw new IllegalArgumentException("endpoint: \"" + endpoint + "\" (expected: http(s)://host[:port])");
      }
    }
    if (!proxyAddress.isEmpty() && URI.create(proxyAddress).getHost() == null) {
      throw new IllegalArgumentException("proxy_address: \"" + proxyAddress + "\" (expected: http://host:port)");
    }
    if (requestTimeoutSeconds <= 0) {
      throw new IllegalArgumentException("request_timeout_seconds: " + requestTimeoutSeconds + " (expected: > 0)");
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("max_retries: " + maxRetries + " (expected: >= 0)");
    }
    retryOnFailure.validate();
    sendingQueue.validate();
  }

  Duration requestTimeout() {
    return Duration.ofSeconds(requestTimeoutSeconds);
  }
}
