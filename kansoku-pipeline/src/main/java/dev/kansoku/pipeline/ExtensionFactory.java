package dev.kansoku.pipeline;

public interface ExtensionFactory<C> extends ComponentFactory<C> {
  @Override
  default ComponentKind kind() {
    return ComponentKind.EXTENSION;
  }

  Extension create(C config, ComponentContext context);
}
