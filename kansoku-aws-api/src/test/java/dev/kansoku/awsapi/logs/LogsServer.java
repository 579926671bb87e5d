package dev.kansoku.awsapi.logs;

import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.testing.TestComponents;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/**
 * A started kansoku extension on a free loopback port, with Kansoku's default pipelines for AWS
 * writes (the kansoku receiver into the kansoku exporter), and an SDK v2 client pointed at it.
 */
final class LogsServer implements AutoCloseable {
  final int port;
  final Service service;
  final CloudWatchLogsClient client;

  LogsServer() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    service = TestKansoku.start(TestKansoku.registry(new TestComponents()), """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        """.formatted(port) + TestKansoku.PIPELINES);
    client = CloudWatchLogsClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + port))
        .region(Region.US_WEST_2)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
        .httpClientBuilder(ApacheHttpClient.builder())
        .build();
  }

  @Override
  public void close() {
    client.close();
    service.shutdown();
  }
}
