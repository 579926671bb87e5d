/**
 * The {@code awscontainerinsightreceiver}: CloudWatch Container Insights metrics of an ECS
 * container instance (the host's root cgroup, /proc, the ECS agent's introspection API and EC2
 * instance metadata), as the collector-contrib receiver reports them in ECS mode.
 */
package dev.kansoku.aws.containerinsight;
