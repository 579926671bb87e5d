package dev.kansoku.server;

import dev.kansoku.api.KansokuExporterFactory;
import dev.kansoku.api.KansokuExtensionFactory;
import dev.kansoku.aws.containerinsight.AwsContainerInsightReceiverFactory;
import dev.kansoku.aws.ec2.Ec2DescribeTags;
import dev.kansoku.aws.emf.AwsEmfExporterFactory;
import dev.kansoku.aws.sigv4.SigV4AuthExtensionFactory;
import dev.kansoku.aws.xray.AwsXrayExporterFactory;
import dev.kansoku.aws.xrayreceiver.AwsProxyExtensionFactory;
import dev.kansoku.aws.ecscontainermetrics.EcsContainerMetricsReceiverFactory;
import dev.kansoku.aws.xrayreceiver.AwsXrayReceiverFactory;
import dev.kansoku.awsapi.AwsEndpoints;
import dev.kansoku.awsapi.receiver.KansokuReceiverFactory;
import dev.kansoku.contrib.attributesprocessor.AttributesProcessorFactory;
import dev.kansoku.contrib.filterprocessor.FilterProcessorFactory;
import dev.kansoku.contrib.healthcheck.HealthCheckExtensionFactory;
import dev.kansoku.contrib.pprof.PprofExtensionFactory;
import dev.kansoku.contrib.resourcedetection.ResourceDetectionProcessorFactory;
import dev.kansoku.contrib.metricstransformprocessor.MetricsTransformProcessorFactory;
import dev.kansoku.contrib.resourceprocessor.ResourceProcessorFactory;
import dev.kansoku.contrib.statsdreceiver.StatsdReceiverFactory;
import dev.kansoku.kafka.KafkaExporterFactory;
import dev.kansoku.kafka.KafkaReceiverFactory;
import dev.kansoku.otlp.FileExporterFactory;
import dev.kansoku.otlp.OtlpGrpcExporterFactory;
import dev.kansoku.otlp.OtlpHttpExporterFactory;
import dev.kansoku.otlp.OtlpReceiverFactory;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.builtin.BatchProcessorFactory;
import dev.kansoku.pipeline.builtin.BearerTokenAuthExtensionFactory;
import dev.kansoku.pipeline.builtin.DebugExporterFactory;
import dev.kansoku.pipeline.builtin.MemoryLimiterProcessorFactory;
import dev.kansoku.pipeline.builtin.NopExporterFactory;
import dev.kansoku.prometheus.receiver.PrometheusReceiverFactory;
import dev.kansoku.prometheus.remotewrite.PrometheusRemoteWriteExporterFactory;
import dev.kansoku.store.MemoryStorageFactory;
import dev.kansoku.store.StorageFactory;
import dev.kansoku.store.embedded.EmbeddedStorageFactory;
import dev.kansoku.store.opensearch.OpenSearchStorageFactory;
import java.util.List;

/** Every component this build offers, in one explicit list (no classpath scanning). */
public final class Components {
  /** The stores the kansoku extension can open, by {@code storage::type}. */
  static final List<StorageFactory<?>> STORAGES = List.of(
      new EmbeddedStorageFactory(), new MemoryStorageFactory(), new OpenSearchStorageFactory());

  private Components() {}

  /** The kansoku extension of this build: its stores and the AWS-compatible endpoints. */
  public static KansokuExtensionFactory kansokuExtension() {
    return new KansokuExtensionFactory(STORAGES, List.of(new AwsEndpoints()));
  }

  public static ComponentRegistry registry() {
    return ComponentRegistry.builder()
        .add(new OtlpReceiverFactory())
        .add(new AwsXrayReceiverFactory())
        .add(new EcsContainerMetricsReceiverFactory())
        .add(new AwsContainerInsightReceiverFactory())
        .add(new KafkaReceiverFactory())
        .add(new KansokuReceiverFactory())
        .add(new StatsdReceiverFactory())
        .add(new PrometheusReceiverFactory())
        .add(new MemoryLimiterProcessorFactory())
        .add(new BatchProcessorFactory())
        .add(new ResourceProcessorFactory())
        .add(new AttributesProcessorFactory())
        // ec2::tags read with EC2 DescribeTags from kansoku-aws, so kansoku-contrib needs no AWS SDK.
        .add(new ResourceDetectionProcessorFactory(new Ec2DescribeTags(System::getenv)::tags))
        .add(new FilterProcessorFactory())
        .add(new MetricsTransformProcessorFactory())
        .add(new DebugExporterFactory())
        .add(new NopExporterFactory())
        .add(new FileExporterFactory())
        .add(new OtlpGrpcExporterFactory())
        .add(new OtlpHttpExporterFactory())
        .add(new AwsXrayExporterFactory())
        .add(new AwsEmfExporterFactory())
        .add(new KafkaExporterFactory())
        .add(new PrometheusRemoteWriteExporterFactory())
        .add(new KansokuExporterFactory())
        .add(new BearerTokenAuthExtensionFactory())
        .add(new SigV4AuthExtensionFactory())
        .add(kansokuExtension())
        .add(new HealthCheckExtensionFactory())
        .add(new PprofExtensionFactory())
        .add(new AwsProxyExtensionFactory())
        .build();
  }
}
