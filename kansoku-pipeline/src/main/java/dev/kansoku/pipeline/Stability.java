package dev.kansoku.pipeline;

/**
 * How settled a component is, with the collector's levels and their names as {@code otelcol
 * components} prints them. {@link #UNDEFINED} is what a component reports for a signal it does not
 * support, never a component's own level.
 */
public enum Stability {
  UNDEFINED("Undefined"),
  UNMAINTAINED("Unmaintained"),
  DEPRECATED("Deprecated"),
  DEVELOPMENT("Development"),
  ALPHA("Alpha"),
  BETA("Beta"),
  STABLE("Stable");

  private final String displayName;

  Stability(String displayName) {
    this.displayName = displayName;
  }

  @Override
  public String toString() {
    return displayName;
  }
}
