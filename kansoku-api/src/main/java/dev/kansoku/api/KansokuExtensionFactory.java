package dev.kansoku.api;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;

/** {@code kansoku}: the store and its HTTP endpoint (default localhost:4600). */
public final class KansokuExtensionFactory implements ExtensionFactory<KansokuExtensionConfig> {
  @Override
  public String type() {
    return "kansoku";
  }

  @Override
  public KansokuExtensionConfig createDefaultConfig() {
    return new KansokuExtensionConfig();
  }

  @Override
  public Extension create(KansokuExtensionConfig config, ComponentContext context) {
    return new KansokuExtension(context.id().toString(), config);
  }
}
