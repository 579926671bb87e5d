package dev.kansoku.server;

import java.util.List;
import java.util.function.Function;

/**
 * Where the configuration comes from, in ADOT's order: {@code --config} values when given;
 * otherwise the whole YAML in {@code AOT_CONFIG_CONTENT} (how the seed's ECS task passes it from
 * SSM); otherwise the built-in default.
 */
record ConfigSelection(List<String> sources, String description) {
  static final String AOT_CONFIG_CONTENT = "AOT_CONFIG_CONTENT";
  static final String DEFAULT = "builtin:default";

  static ConfigSelection choose(List<String> configArgs, Function<String, String> env) {
    if (!configArgs.isEmpty()) {
      return new ConfigSelection(configArgs, "--config " + String.join(" --config ", configArgs));
    }
    String content = env.apply(AOT_CONFIG_CONTENT);
    if (content != null && !content.isBlank()) {
      return new ConfigSelection(List.of("env:" + AOT_CONFIG_CONTENT), "environment variable " + AOT_CONFIG_CONTENT);
    }
    return new ConfigSelection(List.of(DEFAULT), "the built-in default configuration");
  }
}
