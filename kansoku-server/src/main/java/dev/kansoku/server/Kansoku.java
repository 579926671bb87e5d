package dev.kansoku.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.Service;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.ConfigLoader;
import dev.kansoku.pipeline.config.ConfigSource;
import dev.kansoku.pipeline.config.ServiceConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A configured Kansoku: load and validate the configuration, then run its service until closed. */
public final class Kansoku implements AutoCloseable {
  private final ServiceConfig config;
  private final Service service;

  private Kansoku(ServiceConfig config, ComponentRegistry registry, Function<String, String> env) {
    this.config = config;
    this.service = Service.create(config, registry, env);
  }

  /**
   * Reads and validates {@code sources} (file paths, {@code env:VAR}, {@code yaml:...}, or
   * {@link ConfigSelection#DEFAULT}); nothing is started.
   */
  public static ServiceConfig load(List<String> sources, Function<String, String> env, ComponentRegistry registry)
      throws ConfigException {
    List<String> resolved = new ArrayList<>();
    for (String s : sources) {
      resolved.add(s.equals(ConfigSelection.DEFAULT) ? "yaml:" + defaultConfigYaml() : s);
    }
    ObjectNode root = ConfigSource.load(resolved, env);
    return new ConfigLoader(registry).load(root);
  }

  /**
   * Loads {@code sources} and starts everything; close() stops it. The components read their
   * environment variables from {@code env} too.
   */
  public static Kansoku start(List<String> sources, Function<String, String> env) throws Exception {
    ComponentRegistry registry = Components.registry();
    Kansoku k = new Kansoku(load(sources, env, registry), registry, env);
    k.service.start();
    return k;
  }

  static String defaultConfigYaml() {
    try (InputStream in = Kansoku.class.getResourceAsStream("/default-config.yaml")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ServiceConfig config() {
    return config;
  }

  /** Stops receivers, flushes batches, drains exporters. Idempotent. */
  @Override
  public void close() {
    service.shutdown();
  }
}
