package dev.kansoku.pipeline.config;

import java.util.List;

/**
 * The configuration cannot run. Each problem is one line that starts with its path in the
 * collector's notation ({@code service::pipelines::traces: ...}); all problems are reported at
 * once so a user fixes them in one round.
 */
public final class ConfigException extends Exception {
  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }
}
