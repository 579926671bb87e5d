package dev.kansoku.awsapi;

import dev.kansoku.api.KansokuExporterFactory;
import dev.kansoku.api.KansokuExtensionFactory;
import dev.kansoku.awsapi.receiver.KansokuReceiverFactory;
import dev.kansoku.pipeline.ComponentFactory;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.store.MemoryStorageFactory;
import com.google.protobuf.Parser;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The kansoku extension as these tests run it: the memory store, and the AWS endpoints served. */
public final class TestKansoku {
  /**
   * Components and pipelines that carry what the AWS write operations receive into the store, as in
   * Kansoku's default configuration; to be completed with {@code extensions: {kansoku: ...}}.
   */
  public static final String PIPELINES = """
      receivers: {kansoku: }
      exporters: {kansoku: }
      service:
        extensions: [kansoku]
        pipelines:
          traces: {receivers: [kansoku], exporters: [kansoku]}
          metrics: {receivers: [kansoku], exporters: [kansoku]}
          logs: {receivers: [kansoku], exporters: [kansoku]}
      """;

  private TestKansoku() {}

  public static KansokuExtensionFactory extensionFactory() {
    return new KansokuExtensionFactory(List.of(new MemoryStorageFactory()), List.of(new AwsEndpoints()));
  }

  /** The test components, the kansoku extension, receiver and exporter, and {@code extra}. */
  public static ComponentRegistry registry(TestComponents components, ComponentFactory<?>... extra) {
    List<ComponentFactory<?>> all = new ArrayList<>(List.of(extensionFactory(), new KansokuReceiverFactory(),
        new KansokuExporterFactory()));
    all.addAll(List.of(extra));
    return components.registry(all.toArray(ComponentFactory<?>[]::new));
  }

  /** A started service of {@code yaml}, the collector configuration, with the components of {@code registry}. */
  public static Service start(ComponentRegistry registry, String yaml) throws Exception {
    Service service = Service.create(new ConfigLoader(registry).load(ConfigSource.load(List.of("yaml:" + yaml),
        n -> null)), registry);
    service.start();
    return service;
  }

  /** The requests a {@code file} exporter with {@code format: proto} wrote: each a 4-byte length, then its bytes. */
  public static <T> List<T> fileExporterOutput(Path file, Parser<T> parser) throws IOException {
    List<T> out = new ArrayList<>();
    try (DataInputStream in = new DataInputStream(Files.newInputStream(file))) {
      while (in.available() > 0) {
        out.add(parser.parseFrom(in.readNBytes(in.readInt())));
      }
    }
    return out;
  }
}
