package dev.kansoku.aws.containerinsight;

import dev.kansoku.pipeline.Validatable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code awscontainerinsightreceiver}: every key of the collector's configuration, including the AWS
 * session settings it embeds. Only {@code collection_interval}, {@code container_orchestrator} and
 * {@code cluster_name} change what ECS mode does; the others belong to EKS mode or to AWS calls that
 * ECS mode does not make, and are accepted so that the collector's configurations load unchanged.
 */
final class AwsContainerInsightReceiverConfig implements Validatable {
  static final String ECS = "ecs";
  static final String EKS = "eks";

  /** Time between two collections. Example: 60s. */
  Duration collectionInterval = Duration.ofSeconds(60);
  /** Where the collector runs: ecs or eks. Example: ecs. */
  String containerOrchestrator = EKS;
  /** The role of this collector in an EKS cluster: LEADER, NODE or ALL (EKS mode). Example: ALL. */
  String collectionRole = "";
  /** Add the Kubernetes service name as an attribute (EKS mode). Example: true. */
  boolean addServiceAsAttribute = true;
  /** Fall back to the pod's own name for PodName (EKS mode). Example: false. */
  boolean preferFullPodName;
  /** Add the FullPodName attribute (EKS mode). Example: false. */
  boolean addFullPodNameMetricLabel;
  /** Add the ContainerName attribute (EKS mode). Example: false. */
  boolean addContainerNameMetricLabel;
  /** The ClusterName attribute instead of the one detected (the ECS agent's, in ECS mode). Example: prod. */
  String clusterName = "";
  /** Name of the leader election lock (EKS mode). Example: otel-container-insight-clusterleader. */
  String leaderLockName = "";
  /** Use a ConfigMap only for the leader election lock (EKS mode). Example: false. */
  boolean leaderLockUsingConfigMapOnly;
  /** Scrape the Kubernetes API server's metrics (EKS mode). Example: false. */
  boolean enableControlPlaneMetrics;
  /** Scrape accelerated compute (GPU, Neuron, EFA) metrics (EKS mode). Example: false. */
  boolean acceleratedComputeMetrics;
  /** kubeconfig outside a pod (EKS mode). Example: /home/ec2-user/.kube/config. */
  String kubeConfigPath = "";
  /** Host IP instead of the detected one (EKS mode). Example: 10.0.1.12. */
  String hostIp = "";
  /** Host name instead of the detected one (EKS mode). Example: ip-10-0-1-12.ec2.internal. */
  String hostName = "";
  /** Run as a systemd service on the host rather than in a pod (EKS mode). Example: false. */
  boolean runOnSystemd;
  /** Extension that configures the AWS client. Example: awsmiddleware. */
  String middleware = "";

  // The AWS session settings the collector embeds (awsutil.AWSSessionSettings).
  /** Calls to AWS at once. Example: 8. */
  int numWorkers = 8;
  /** AWS endpoint instead of the region's. Example: http://localhost:4600. */
  String endpoint = "";
  /** Limit of one AWS call in seconds. Example: 30. */
  int requestTimeoutSeconds = 30;
  /** Retries of one AWS call. Example: 2. */
  int maxRetries = 2;
  /** Accept any TLS certificate (testing only). Example: false. */
  boolean noVerifySsl;
  /** HTTP proxy for AWS calls. Example: http://proxy:3128. */
  String proxyAddress = "";
  /** AWS region. Example: us-west-2. */
  String region = "";
  /** Skip instance metadata (not on EC2). Example: false. */
  boolean localMode;
  /** ARN of the resource running the collector. */
  String resourceArn = "";
  /** IAM role to assume. Example: arn:aws:iam::123456789012:role/ci. */
  String roleArn = "";
  /** External id for the assumed role. */
  String externalId = "";
  /** Extra CA certificates file. Example: /etc/ssl/ca.pem. */
  String certificateFilePath = "";
  /** Retries of IMDSv2 calls. Example: 1. */
  int imdsRetries = 1;
  /** Shared credentials profile. Example: default. */
  String profile = "";
  /** Shared credentials files. Example: [/root/.aws/credentials]. */
  List<String> sharedCredentialsFile = new ArrayList<>();

  @Override
  public void validate() {
    if (collectionInterval == null || collectionInterval.isNegative() || collectionInterval.isZero()) {
      throw new IllegalArgumentException("collection_interval: must be positive, got " + collectionInterval);
    }
    if (!ECS.equals(containerOrchestrator) && !EKS.equals(containerOrchestrator)) {
      throw new IllegalArgumentException("container_orchestrator: \"" + containerOrchestrator
          + "\" (expected: ecs or eks)");
    }
    if (!collectionRole.isEmpty() && !List.of("LEADER", "NODE", "ALL").contains(collectionRole)) {
      throw new IllegalArgumentException("collection_role: \"" + collectionRole + "\" (expected: LEADER, NODE or ALL)");
    }
    if (imdsRetries < 0) {
      throw new IllegalArgumentException("imds_retries: " + imdsRetries + " (expected: >= 0)");
    }
  }
}
