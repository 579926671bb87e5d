package dev.kansoku.contrib.healthcheck;

import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.Extension;
import dev.kansoku.pipeline.ExtensionFactory;
import dev.kansoku.pipeline.Stability;
import java.time.Clock;

/** {@code health_check}: the collector's health endpoint (default localhost:13133, path /). */
public final class HealthCheckExtensionFactory implements ExtensionFactory<HealthCheckConfig> {
  @Override
  public String type() {
    return "health_check";
  }

  @Override
  public Stability stability() {
    return Stability.ALPHA;
  }

  @Override
  public HealthCheckConfig createDefaultConfig() {
    return new HealthCheckConfig();
  }

  @Override
  public Extension create(HealthCheckConfig config, ComponentContext context) {
    return new HealthCheckExtension(context.id().toString(), config, Clock.systemDefaultZone());
  }
}
