package dev.kansoku.awsapi;

import dev.kansoku.api.KansokuExporterFactory;
import dev.kansoku.api.KansokuExtensionFactory;
import dev.kansoku.awsapi.receiver.KansokuReceiverFactory;
import dev.kansoku.pipeline.ComponentFactory;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.testing.TestComponents;
import dev.kansoku.store.MemoryStorageFactory;
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
}
