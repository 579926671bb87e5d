package dev.kansoku.pipeline.config;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.kansoku.pipeline.Validatable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Binds a YAML section onto a component's default configuration object and turns every binding
 * failure into one message that names the path and, for unknown keys, the nearest valid key.
 *
 * <p>Configuration classes are plain objects whose fields hold their defaults; keys are the
 * snake_case form of the field names ({@code limitMib} ⇄ {@code limit_mib}). A class that needs to
 * tell "key present but empty" from "key absent" (the seed's {@code grpc:}) does so in a setter.
 */
public final class ConfigBinder {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .visibility(PropertyAccessor.ALL, Visibility.NONE)
      .visibility(PropertyAccessor.FIELD, Visibility.ANY)
      .visibility(PropertyAccessor.SETTER, Visibility.ANY)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.ALLOW_FINAL_FIELDS_AS_MUTATORS)
      .addModule(new SimpleModule().addDeserializer(Duration.class, new GoDurationDeserializer()))
      .build();

  private ConfigBinder() {}

  /**
   * Binds {@code node} onto {@code defaults} (mutated and returned), then validates it.
   *
   * @param path where {@code node} sits, e.g. {@code receivers::otlp}
   */
  public static <C> C bind(JsonNode node, C defaults, String path) throws ConfigException {
    if (node != null && !node.isNull() && !node.isMissingNode()) {
      if (!node.isObject()) {
        throw new ConfigException(path + ": expected a map of settings, got " + describe(node));
      }
      try {
        MAPPER.readerForUpdating(defaults).readValue(node);
      } catch (UnrecognizedPropertyException e) {
        List<String> known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
        throw new ConfigException(join(path, e.getPath(), 1) + ": unknown key \"" + e.getPropertyName() + "\""
            + Suggestions.hint(e.getPropertyName(), known, "keys"));
      } catch (InvalidFormatException e) {
        throw new ConfigException(join(path, e.getPath(), 0) + ": cannot use " + quote(e.getValue()) + " ("
            + "expected: " + typeName(e.getTargetType()) + ")");
      } catch (MismatchedInputException e) {
        throw new ConfigException(join(path, e.getPath(), 0) + ": wrong kind of value (expected: "
            + typeName(e.getTargetType()) + ")");
      } catch (JsonMappingException e) {
        Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
        String message = cause == e ? e.getOriginalMessage() : cause.getMessage();
        throw new ConfigException(join(path, e.getPath(), 0) + ": " + message);
      } catch (IOException e) {
        throw new ConfigException(path + ": " + e.getMessage());
      }
    }
    if (defaults instanceof Validatable v) {
      try {
        v.validate();
      } catch (IllegalArgumentException e) {
        throw new ConfigException(path + ": " + e.getMessage());
      }
    }
    return defaults;
  }

  private static String join(String path, List<JsonMappingException.Reference> refs, int dropLast) {
    String rest = refs.subList(0, Math.max(0, refs.size() - dropLast)).stream()
        .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
        .collect(Collectors.joining("::"));
    return rest.isEmpty() ? path : path + "::" + rest;
  }

  private static String typeName(Class<?> type) {
    if (type == null) {
      return "a different value";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "a whole number";
    }
    if (type == double.class || type == Double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Duration.class) {
      return "a duration such as 200ms, 5s, 1m30s";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (type.isEnum()) {
      return "one of " + List.of(type.getEnumConstants());
    }
    return "a map of settings";
  }

  private static String quote(Object value) {
    return value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
  }

  private static String describe(JsonNode node) {
    return node.isTextual() ? "\"" + node.textValue() + "\"" : node.getNodeType().toString().toLowerCase();
  }
}
