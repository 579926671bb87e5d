package dev.kansoku.otlp;

import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

/** A running service with an otlp receiver on free loopback ports and a capture exporter. */
final class ReceiverHarness implements AutoCloseable {
  final TestComponents components = new TestComponents();
  final int grpcPort = freePort();
  final int httpPort = freePort();
  private final Service service;

  /** {@code yaml} may use ${GRPC} and ${HTTP} for the ports. */
  ReceiverHarness(String yaml) throws Exception {
    ComponentRegistry registry = components.registry(new OtlpReceiverFactory());
    service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml),
        Map.of("GRPC", String.valueOf(grpcPort), "HTTP", String.valueOf(httpPort))::get)), registry);
    service.start();
  }

  /** otlp on both protocols → capture, for all three signals. */
  static ReceiverHarness plain() throws Exception {
    return new ReceiverHarness("""
        receivers:
          otlp:
            protocols:
              grpc: {endpoint: "localhost:${GRPC}"}
              http: {endpoint: "localhost:${HTTP}", max_request_body_size: 100000}
        exporters: {capture: }
        service:
          pipelines:
            traces: {receivers: [otlp], exporters: [capture]}
            metrics: {receivers: [otlp], exporters: [capture]}
            logs: {receivers: [otlp], exporters: [capture]}
        """);
  }

  TestComponents.CaptureExporter capture() {
    return components.exporter("capture");
  }

  String grpcUrl() {
    return "http://127.0.0.1:" + grpcPort;
  }

  String httpUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    service.shutdown();
  }
}
