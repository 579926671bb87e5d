package dev.kansoku.aws.emf;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fills the placeholders of log_group_name / log_stream_name, e.g. {@code /aws/ecs/{ClusterName}}.
 * A placeholder takes the attribute of its own name, else the resource attribute the reference maps
 * it to; when neither has a value it becomes "undefined" and the result says so, so that the
 * translator can try again with the data point's labels.
 */
final class LogNames {
  /** Placeholder → attribute, the reference's table (v0.156.0 util.go); any other {Name} stays as written. */
  static final Map<String, String> PLACEHOLDERS = placeholders();

  private LogNames() {}

  private static Map<String, String> placeholders() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("ClusterName", "aws.ecs.cluster.name");
    m.put("TaskId", "aws.ecs.task.id");
    m.put("NodeName", "k8s.node.name");
    m.put("PodName", "pod");
    m.put("ServiceName", "service.name");
    m.put("ContainerInstanceId", "aws.ecs.container.instance.id");
    m.put("TaskDefinitionFamily", "aws.ecs.task.family");
    return java.util.Collections.unmodifiableMap(m);
  }

  record Replaced(String value, boolean complete) {}

  static Replaced replace(String template, Map<String, String> attributes) {
    if (template.indexOf('{') < 0) {
      return new Replaced(template, true);
    }
    String s = template;
    boolean complete = true;
    for (Map.Entry<String, String> p : PLACEHOLDERS.entrySet()) {
      String pattern = "{" + p.getKey() + "}";
      if (!s.contains(pattern)) {
        continue;
      }
      String value = attributes.get(p.getKey());
      if (value == null) {
        value = attributes.get(p.getValue());
      }
      if (value == null || value.isEmpty()) {
        s = s.replace(pattern, "undefined");
        complete = false;
      } else {
        s = s.replace(pattern, value);
      }
    }
    return new Replaced(s, complete);
  }
}
