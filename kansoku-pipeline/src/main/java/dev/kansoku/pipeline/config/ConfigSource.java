package dev.kansoku.pipeline.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the collector YAML from where the user put it and merges it into one tree, as the
 * collector does with several {@code --config} values: later sources are deep-merged over earlier
 * ones (maps merge key by key, anything else is replaced).
 *
 * <p>A source is a file path, {@code file:PATH}, {@code env:VAR} (the whole YAML in a variable, as
 * ADOT's {@code AOT_CONFIG_CONTENT}) or {@code yaml:INLINE}.
 */
public final class ConfigSource {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private ConfigSource() {}

  /** Loads and merges {@code sources}, then expands environment references. */
  public static ObjectNode load(List<String> sources, Function<String, String> env) throws ConfigException {
    ObjectNode merged = JsonNodeFactory.instance.objectNode();
    for (String source : sources) {
      deepMerge(merged, read(source, env));
    }
    List<String> problems = new EnvExpander(env).expand(merged);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return merged;
  }

  /** Parses one YAML document; {@code origin} names it in error messages. */
  public static ObjectNode parse(String yaml, String origin) throws ConfigException {
    JsonNode node;
    try {
      node = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException(origin + ": not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
              + e.getLocation().getColumnNr() + ")"));
    }
    if (node == null || node.isMissingNode() || node.isNull()) {
      return JsonNodeFactory.instance.objectNode();
    }
    if (!node.isObject()) {
      throw new ConfigException(origin + ": expected a map of receivers, processors, exporters, extensions"
          + " and service, got " + node.getNodeType().toString().toLowerCase());
    }
    return (ObjectNode) node;
  }

  private static ObjectNode read(String source, Function<String, String> env) throws ConfigException {
    if (source.startsWith("env:")) {
      String var = source.substring(4);
      String value = env.apply(var);
      if (value == null || value.isBlank()) {
        throw new ConfigException("--config " + source + ": environment variable " + var + " is not set or empty");
      }
      return parse(value, "environment variable " + var);
    }
    if (source.startsWith("yaml:")) {
      return parse(source.substring(5), "--config " + source);
    }
    Path path = Path.of(source.startsWith("file:") ? source.substring(5) : source);
    try {
      return parse(Files.readString(path, StandardCharsets.UTF_8), path.toString());
    } catch (NoSuchFileException e) {
      throw new ConfigException("--config " + source + ": no such file");
    } catch (IOException e) {
      throw new ConfigException("--config " + source + ": cannot read: " + e.getMessage());
    }
  }

  static void deepMerge(ObjectNode into, ObjectNode from) {
    Iterator<Map.Entry<String, JsonNode>> it = from.fields();
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
    it.forEachRemaining(entries::add);
    for (Map.Entry<String, JsonNode> e : entries) {
      JsonNode existing = into.get(e.getKey());
      if (existing instanceof ObjectNode existingObj && e.getValue() instanceof ObjectNode fromObj) {
        deepMerge(existingObj, fromObj);
      } else {
        into.set(e.getKey(), e.getValue().deepCopy());
      }
    }
  }
}
