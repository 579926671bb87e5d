package dev.kansoku.awsapi.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kansoku.awsapi.TestKansoku;
import dev.kansoku.api.StoreAccess;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.store.Storage;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** A started kansoku extension (the real wiring of KansokuExtension) on a free loopback port. */
final class TestEndpoint implements AutoCloseable {
  final Extension extension;
  final int port;

  TestEndpoint() throws Exception {
    port = freePort();
    extension = create(TestKansoku.extensionFactory(), port);
    extension.start(new Host() {
      @Override
      public <E> Optional<E> extension(ComponentId id, Class<E> type) {
        return Optional.empty();
      }
    });
  }

  /** Generic so that the factory's package-private config type need not be named. */
  private static <C> Extension create(ExtensionFactory<C> factory, int port) throws Exception {
    C config = ConfigBinder.bind(new ObjectMapper().valueToTree(Map.of("endpoint", "127.0.0.1:" + port, "storage", Map.of("type", "memory"))),
        factory.createDefaultConfig(), "extensions::kansoku");
    return factory.create(config, new ComponentContext() {
      @Override
      public ComponentId id() {
        return ComponentId.parse("kansoku");
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return create.get();
      }
    });
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + port);
  }

  Storage storage() {
    return ((StoreAccess) extension).storage();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    extension.shutdown();
  }
}
