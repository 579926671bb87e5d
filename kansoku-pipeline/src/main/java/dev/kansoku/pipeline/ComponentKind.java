package dev.kansoku.pipeline;

/** The four kinds of component, with the top-level configuration key of each. */
public enum ComponentKind {
  RECEIVER("receivers", "receiver"),
  PROCESSOR("processors", "processor"),
  EXPORTER("exporters", "exporter"),
  EXTENSION("extensions", "extension");

  private final String configKey;
  private final String singular;

  ComponentKind(String configKey, String singular) {
    this.configKey = configKey;
    this.singular = singular;
  }

  /** receivers, processors, exporters, extensions. */
  public String configKey() {
    return configKey;
  }

  /** receiver, processor, exporter, extension. */
  public String singular() {
    return singular;
  }
}
