package dev.kansoku.pipeline.featuregate;

import static java.util.Objects.requireNonNull;

/**
 * One of the collector's feature gates: a behaviour switched with {@code --feature-gates}, on by
 * default from its beta stage, fixed on once stable and fixed off once deprecated. Thread-safe: the
 * command line sets it before the components read it.
 */
public final class FeatureGate {
  /** The collector's stages. */
  public enum Stage {
    ALPHA("Alpha"), BETA("Beta"), STABLE("Stable"), DEPRECATED("Deprecated");

    private final String text;

    Stage(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }
  }

  private final String id;
  private final Stage stage;
  private final String description;
  private final String fromVersion;
  private volatile boolean enabled;

  FeatureGate(String id, Stage stage, String description, String fromVersion) {
    this.id = requireNonNull(id, "id");
    this.stage = requireNonNull(stage, "stage");
    this.description = requireNonNull(description, "description");
    this.fromVersion = requireNonNull(fromVersion, "fromVersion");
    this.enabled = stage == Stage.BETA || stage == Stage.STABLE;
  }

  public String id() {
    return id;
  }

  public Stage stage() {
    return stage;
  }

  public String description() {
    return description;
  }

  /** The collector version that introduced the gate, e.g. v0.84.0. */
  public String fromVersion() {
    return fromVersion;
  }

  public boolean isEnabled() {
    return enabled;
  }

  void set(boolean on) {
    enabled = on;
  }
}
