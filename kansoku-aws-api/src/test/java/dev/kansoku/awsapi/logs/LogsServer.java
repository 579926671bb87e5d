package dev.kansoku.awsapi.logs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.config.ConfigBinder;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** A started kansoku extension on a free loopback port and an SDK v2 client pointed at it. */
final class LogsServer implements AutoCloseable {
  final int port;
  final Extension extension;
  final CloudWatchLogsClient client;

  @SuppressWarnings({"unchecked", "rawtypes"})
  LogsServer() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    // The extension's config class is package-private; bind it from YAML-like JSON as the collector does.
    ExtensionFactory factory = TestKansoku.extensionFactory();
    Object config = ConfigBinder.bind(new ObjectMapper().readTree("{\"endpoint\":\"127.0.0.1:" + port
        + "\",\"storage\":{\"type\":\"memory\"}}"),
        factory.createDefaultConfig(), "extensions::kansoku");
    ComponentContext ctx = new ComponentContext() {
      @Override
      public ComponentId id() {
        return ComponentId.parse("kansoku");
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return create.get();
      }
    };
    extension = factory.create(config, ctx);
    extension.start(new dev.kansoku.pipeline.Host() {
      @Override
      public <E> Optional<E> extension(ComponentId id, Class<E> type) {
        return Optional.empty();
      }
    });
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
    extension.shutdown();
  }
}
