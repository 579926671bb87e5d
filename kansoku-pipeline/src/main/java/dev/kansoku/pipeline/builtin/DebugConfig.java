package dev.kansoku.pipeline.builtin;

import dev.kansoku.pipeline.Validatable;
import java.util.List;

/** {@code debug}: writes what it receives to Kansoku's log. */
final class DebugConfig implements Validatable {
  static final List<String> LEVELS = List.of("basic", "normal", "detailed");

  /** basic: one line per batch; normal: one line per item; detailed: every field. Example: detailed. */
  String verbosity = "basic";

  @Override
  public void validate() {
    if (!LEVELS.contains(verbosity)) {
      throw new IllegalArgumentException("verbosity: \"" + verbosity + "\" (expected one of " + LEVELS + ")");
    }
  }
}
