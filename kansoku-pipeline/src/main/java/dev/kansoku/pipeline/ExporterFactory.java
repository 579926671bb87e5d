package dev.kansoku.pipeline;

import java.util.Set;

public interface ExporterFactory<C> extends ComponentFactory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.EXPORTER;
  }

  Set<Signal<?>> signals();

  Exporter create(C config, ComponentContext context);
}
