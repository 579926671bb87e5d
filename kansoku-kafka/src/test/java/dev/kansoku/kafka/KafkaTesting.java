package dev.kansoku.kafka;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.kansoku.pipeline.ComponentContext;
import dev.kansoku.pipeline.ComponentFactory;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.Host;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

/** Builds kafka components the way the configuration loader does: YAML bound onto the factory's defaults. */
final class KafkaTesting {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static final Host HOST = new Host() {
    @Override
    public <E> Optional<E> extension(ComponentId id, Class<E> type) {
      return Optional.empty();
    }
  };

  private KafkaTesting() {}

  static <C> C bind(ComponentFactory<C> factory, String path, String yaml) throws ConfigException {
    JsonNode node;
    try {
      node = YAML.readTree(yaml.isEmpty() ? "{}" : yaml);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
    return ConfigBinder.bind(node, factory.createDefaultConfig(), path);
  }

  static ComponentContext context(String id) {
    return new ComponentContext() {
      @Override
      public ComponentId id() {
        return ComponentId.parse(id);
      }

      @Override
      public <R> R shared(Class<R> type, Supplier<R> create) {
        return create.get();
      }
    };
  }
}
