package dev.kansoku.api;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Stability;
import dev.kansoku.store.StorageFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code kansoku}: the store and its HTTP endpoint (default localhost:4600). The build's component
 * list says which stores it can open and which endpoint APIs it serves.
 */
public final class KansokuExtensionFactory implements ExtensionFactory<KansokuExtensionConfig> {
  private final Map<String, StorageFactory<?>> storages = new LinkedHashMap<>();
  private final List<EndpointApi> apis;

  public KansokuExtensionFactory(List<StorageFactory<?>> storages, List<EndpointApi> apis) {
    for (StorageFactory<?> f : storages) {
      if (this.storages.putIfAbsent(f.type(), f) != null) {
        throw new IllegalArgumentException("two storage factories for type \"" + f.type() + "\"");
      }
    }
    this.apis = List.copyOf(apis);
  }

  @Override
  public String type() {
    return "kansoku";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public KansokuExtensionConfig createDefaultConfig() {
    return new KansokuExtensionConfig(Map.copyOf(storages));
  }

  @Override
  public Extension create(KansokuExtensionConfig config, ComponentContext context) {
    return new KansokuExtension(context.id().toString(), config, apis);
  }
}
