package dev.kansoku.awsapi.metrics;

import dev.kansoku.api.StoreAccess;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.store.Storage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;

/**
 * A started kansoku extension (the real wiring of KansokuExtension) on a free loopback port, with
 * Kansoku's default pipelines for AWS writes: the kansoku receiver into the kansoku exporter.
 */
final class TestEndpoint implements AutoCloseable {
  final int port;
  private final Service service;

  TestEndpoint() throws Exception {
    port = freePort();
    service = TestKansoku.start(TestKansoku.registry(new TestComponents()), """
        extensions: {kansoku: {endpoint: "127.0.0.1:%d", storage: {type: memory}}}
        """.formatted(port) + TestKansoku.PIPELINES);
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  Storage storage() {
    return service.extension(ComponentId.parse("kansoku"), StoreAccess.class).orElseThrow().storage();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    service.shutdown();
  }
}
