package dev.kansoku.contrib.pprof;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Stability;

/** {@code pprof}: the collector's profiling endpoint (default localhost:1777), answered by the JVM. */
public final class PprofExtensionFactory implements ExtensionFactory<PprofConfig> {
  @Override
  public String type() {
    return "pprof";
  }

  @Override
  public Stability stability() {
    return Stability.BETA;
  }

  @Override
  public PprofConfig createDefaultConfig() {
    return new PprofConfig();
  }

  @Override
  public Extension create(PprofConfig config, ComponentContext context) {
    return new PprofExtension(context.id().toString(), config);
  }
}
