package dev.kansoku.pipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.pipeline.ComponentFactory;
import dev.kansoku.pipeline.ComponentId;
import dev.kansoku.pipeline.ComponentKind;
import dev.kansoku.pipeline.ComponentRegistry;
import dev.kansoku.pipeline.ExporterFactory;
import dev.kansoku.pipeline.ProcessorFactory;
import dev.kansoku.pipeline.ReceiverFactory;
import dev.kansoku.pipeline.Signal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a merged YAML tree into a {@link ServiceConfig}: binds every component's section onto its
 * factory's defaults, then checks every cross-reference in {@code service} before anything starts.
 * All problems are collected and reported together, each with its path.
 */
public final class ConfigLoader {
  private static final List<String> TOP_LEVEL =
      List.of("receivers", "processors", "exporters", "extensions", "connectors", "service");
  private static final List<String> SERVICE_KEYS = List.of("extensions", "pipelines", "telemetry");
  private static final List<String> PIPELINE_KEYS = List.of("receivers", "processors", "exporters");
  private static final List<String> LOG_LEVELS = List.of("debug", "info", "warn", "error");

  private final ComponentRegistry registry;

  public ConfigLoader(ComponentRegistry registry) {
    this.registry = registry;
  }

  public ServiceConfig load(ObjectNode root) throws ConfigException {
    List<String> problems = new ArrayList<>();
    for (String key : fieldNames(root)) {
      if (key.equals("connectors")) {
        if (!isEmpty(root.get(key))) {
          problems.add("connectors: connectors are not supported by Kansoku yet; remove the section");
        }
      } else if (!TOP_LEVEL.contains(key)) {
        problems.add(key + ": unknown top-level key" + Suggestions.hint(key, TOP_LEVEL, "keys"));
      }
    }
    Map<ComponentKind, Map<ComponentId, Object>> components = new EnumMap<>(ComponentKind.class);
    Set<String> invalid = new HashSet<>();
    for (ComponentKind kind : ComponentKind.values()) {
      components.put(kind, bindSection(kind, root.get(kind.configKey()), invalid, problems));
    }
    List<ComponentId> extensions = new ArrayList<>();
    List<PipelineConfig> pipelines = new ArrayList<>();
    String logLevel = "info";
    JsonNode service = root.get("service");
    if (service == null || service.isNull()) {
      problems.add("service: missing; it must list the pipelines to run (service::pipelines)");
    } else if (!service.isObject()) {
      problems.add("service: expected a map with pipelines, extensions and telemetry");
    } else {
      for (String key : fieldNames(service)) {
        if (!SERVICE_KEYS.contains(key)) {
          problems.add("service: unknown key \"" + key + "\"" + Suggestions.hint(key, SERVICE_KEYS, "keys"));
        }
      }
      extensions = serviceExtensions(service.get("extensions"), components.get(ComponentKind.EXTENSION), invalid,
          problems);
      pipelines = pipelines(service.get("pipelines"), !extensions.isEmpty(), components, invalid, problems);
      logLevel = telemetry(service.get("telemetry"), problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new ServiceConfig(components, extensions, pipelines, logLevel);
  }

  /** Binds one section; ids whose settings are wrong go to {@code invalid} so references to them add no noise. */
  private Map<ComponentId, Object> bindSection(ComponentKind kind, JsonNode section, Set<String> invalid,
      List<String> problems) {
    Map<ComponentId, Object> out = new LinkedHashMap<>();
    if (section == null || section.isNull()) {
      return out;
    }
    if (!section.isObject()) {
      problems.add(kind.configKey() + ": expected a map of " + kind.singular() + " ids to settings");
      return out;
    }
    for (String key : fieldNames(section)) {
      String path = kind.configKey() + "::" + key;
      ComponentId id;
      try {
        id = ComponentId.parse(key);
      } catch (IllegalArgumentException e) {
        problems.add(path + ": " + e.getMessage());
        invalid.add(kind.configKey() + "::" + key);
        continue;
      }
      Optional<ComponentFactory<?>> factory = registry.factory(kind, id.type());
      if (factory.isEmpty()) {
        invalid.add(kind.configKey() + "::" + id);
        problems.add(path + ": unknown " + kind.singular() + " type \"" + id.type() + "\""
            + Suggestions.hint(id.type(), registry.types(kind), kind.singular() + " types"));
        continue;
      }
      try {
        out.put(id, ConfigBinder.bind(section.get(key), factory.get().createDefaultConfig(), path));
      } catch (ConfigException e) {
        problems.addAll(e.problems());
        invalid.add(kind.configKey() + "::" + id);
      }
    }
    return out;
  }

  private static List<ComponentId> serviceExtensions(JsonNode node, Map<ComponentId, Object> configured,
      Set<String> invalid, List<String> problems) {
    List<ComponentId> out = new ArrayList<>();
    for (String ref : stringList(node, "service::extensions", problems)) {
      ComponentId id = parseRef(ref, "service::extensions", problems);
      if (id == null) {
        continue;
      }
      if (invalid.contains("extensions::" + id)) {
        continue;
      }
      if (!configured.containsKey(id)) {
        problems.add("service::extensions: references extension \"" + ref + "\" which is not configured");
      } else if (out.contains(id)) {
        problems.add("service::extensions: references extension \"" + ref + "\" more than once");
      } else {
        out.add(id);
      }
    }
    return out;
  }

  /**
   * The pipelines; none is allowed only when the service runs extensions (a query node: the
   * {@code kansoku} extension serving a shared store, with nothing to receive).
   */
  private List<PipelineConfig> pipelines(JsonNode node, boolean hasExtensions,
      Map<ComponentKind, Map<ComponentId, Object>> components, Set<String> invalid, List<String> problems) {
    List<PipelineConfig> out = new ArrayList<>();
    if (node == null || node.isNull() || node.isObject() && node.isEmpty()) {
      if (!hasExtensions) {
        problems.add("service::pipelines: no pipelines are configured; add at least one (traces, metrics or logs)");
      }
      return out;
    }
    if (!node.isObject()) {
      problems.add("service::pipelines: expected a map of pipeline ids (traces, metrics/2, ...) to pipelines");
      return out;
    }
    for (String key : fieldNames(node)) {
      String path = "service::pipelines::" + key;
      ComponentId id;
      try {
        id = ComponentId.parse(key);
      } catch (IllegalArgumentException e) {
        problems.add(path + ": " + e.getMessage());
        continue;
      }
      Signal<?> signal = Signal.byName(id.type());
      if (signal == null) {
        List<String> names = Signal.ALL.stream().map(Signal::name).toList();
        problems.add(path + ": unknown signal \"" + id.type() + "\"" + Suggestions.hint(id.type(), names, "signals"));
        continue;
      }
      JsonNode p = node.get(key);
      if (p == null || !p.isObject()) {
        problems.add(path + ": expected a map with receivers, processors and exporters");
        continue;
      }
      for (String k : fieldNames(p)) {
        if (!PIPELINE_KEYS.contains(k)) {
          problems.add(path + ": unknown key \"" + k + "\"" + Suggestions.hint(k, PIPELINE_KEYS, "keys"));
        }
      }
      List<ComponentId> receivers = refs(p, path, ComponentKind.RECEIVER, signal, components, invalid, problems);
      List<ComponentId> processors = refs(p, path, ComponentKind.PROCESSOR, signal, components, invalid, problems);
      List<ComponentId> exporters = refs(p, path, ComponentKind.EXPORTER, signal, components, invalid, problems);
      if (isEmpty(p.get("receivers"))) {
        problems.add(path + ": must have at least one receiver");
      }
      if (isEmpty(p.get("exporters"))) {
        problems.add(path + ": must have at least one exporter");
      }
      out.add(new PipelineConfig(id, signal, receivers, processors, exporters));
    }
    return out;
  }

  private List<ComponentId> refs(JsonNode pipeline, String path, ComponentKind kind, Signal<?> signal,
      Map<ComponentKind, Map<ComponentId, Object>> components, Set<String> invalid, List<String> problems) {
    Set<ComponentId> out = new LinkedHashSet<>();
    String key = kind.configKey();
    for (String ref : stringList(pipeline.get(key), path + "::" + key, problems)) {
      ComponentId id = parseRef(ref, path + "::" + key, problems);
      if (id == null || invalid.contains(key + "::" + id)) {
        continue;
      }
      if (!components.get(kind).containsKey(id)) {
        problems.add(path + ": references " + kind.singular() + " \"" + ref + "\" which is not configured");
        continue;
      }
      if (!out.add(id)) {
        problems.add(path + ": references " + kind.singular() + " \"" + ref + "\" more than once");
        continue;
      }
      Set<Signal<?>> supported = signals(registry.factory(kind, id.type()).orElseThrow());
      if (!supported.contains(signal)) {
        problems.add(path + ": " + kind.singular() + " \"" + ref + "\" does not support " + signal.name()
            + " (it supports: " + String.join(", ", supported.stream().map(Signal::name).toList()) + ")");
      }
    }
    return new ArrayList<>(out);
  }

  private static Set<Signal<?>> signals(ComponentFactory<?> f) {
    if (f instanceof ReceiverFactory<?> r) {
      return r.signals();
    }
    if (f instanceof ProcessorFactory<?> p) {
      return p.signals();
    }
    if (f instanceof ExporterFactory<?> e) {
      return e.signals();
    }
    return Set.of();
  }

  private static String telemetry(JsonNode node, List<String> problems) {
    if (isEmpty(node)) {
      return "info";
    }
    String level = "info";
    for (String key : fieldNames(node)) {
      if (!key.equals("logs")) {
        problems.add("service::telemetry: unknown key \"" + key + "\"" + Suggestions.hint(key, List.of("logs"), "keys")
            + "; Kansoku reads only service::telemetry::logs::level");
        continue;
      }
      JsonNode logs = node.get("logs");
      for (String k : fieldNames(logs)) {
        if (!k.equals("level")) {
          problems.add("service::telemetry::logs: unknown key \"" + k + "\""
              + Suggestions.hint(k, List.of("level"), "keys"));
        }
      }
      JsonNode l = logs.get("level");
      if (l != null) {
        level = l.asText().toLowerCase();
        if (!LOG_LEVELS.contains(level)) {
          problems.add("service::telemetry::logs::level: \"" + l.asText() + "\" (expected one of " + LOG_LEVELS + ")");
        }
      }
    }
    return level;
  }

  private static ComponentId parseRef(String ref, String path, List<String> problems) {
    try {
      return ComponentId.parse(ref);
    } catch (IllegalArgumentException e) {
      problems.add(path + ": " + e.getMessage());
      return null;
    }
  }

  private static List<String> stringList(JsonNode node, String path, List<String> problems) {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      problems.add(path + ": expected a list such as [otlp, batch]");
      return out;
    }
    for (JsonNode item : node) {
      if (!item.isTextual()) {
        problems.add(path + ": expected component ids, found " + item);
      } else {
        out.add(item.textValue());
      }
    }
    return out;
  }

  private static boolean isEmpty(JsonNode node) {
    return node == null || node.isNull() || node.isContainerNode() && node.isEmpty();
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    if (node != null && node.isObject()) {
      Iterator<String> it = node.fieldNames();
      it.forEachRemaining(names::add);
    }
    return names;
  }
}
