package dev.kansoku.contrib.metricstransformprocessor;

import dev.kansoku.contrib.attraction.GoRegex;
import dev.kansoku.contrib.metricstransformprocessor.Transform.Action;
import dev.kansoku.contrib.metricstransformprocessor.Transform.Op;
import dev.kansoku.contrib.metricstransformprocessor.Transform.Operation;
import dev.kansoku.pipeline.Validatable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/** {@code metricstransform}: renames, copies, combines and relabels metrics, one transform after another. */
final class MetricsTransformConfig implements Validatable {
  private static final List<String> ACTIONS = List.of("insert", "update", "combine", "group");
  private static final List<String> OPERATIONS = List.of("add_label", "update_label", "delete_label_value",
      "toggle_scalar_data_type", "experimental_scale_value", "aggregate_labels", "aggregate_label_values");

  /** The transforms, in order. Example: [{include: ecs.task.memory.utilized, action: update, new_name: MemoryUtilized}]. */
  List<TransformSettings> transforms = new ArrayList<>();

  static final class TransformSettings {
    /** The metric name, or a Go regexp found anywhere in it when match_type is regexp. Required. */
    String include = "";
    /** strict (default) or regexp. */
    String matchType = "";
    /** Data point labels the transform is limited to: label → value (a regexp with match_type regexp). */
    Map<String, String> experimentalMatchLabels = new LinkedHashMap<>();
    /** update (in place), insert (a changed copy) or combine (the matches merged into one new metric). */
    String action = "";
    /** The new name; with match_type regexp, $1 or ${name} take the include's groups. Example: MemoryUtilized. */
    String newName = "";
    /** Accepted with action group, which Kansoku refuses. */
    Map<String, String> groupResourceLabels;
    /** combine: sum, mean, min, max, median or count. */
    String aggregationType = "";
    /** combine: lower or upper, for labels made of the include regexp's groups. */
    String submatchCase = "";
    List<OperationSettings> operations = new ArrayList<>();
  }

  static final class OperationSettings {
    String action = "";
    String label = "";
    String newLabel = "";
    /** aggregate_labels: the labels kept; others are aggregated away. */
    @Nullable List<String> labelSet;
    String aggregationType = "";
    List<String> aggregatedValues = new ArrayList<>();
    /** add_label and aggregate_label_values; {{version}} becomes Kansoku's version. */
    String newValue = "";
    List<ValueAction> valueActions = new ArrayList<>();
    double experimentalScale;
    /** delete_label_value: the value whose points are deleted. */
    String labelValue = "";
  }

  static final class ValueAction {
    String value = "";
    String newValue = "";
  }

  @Override
  public void validate() {
    compile("");
  }

  /**
   * Upstream's checks, in its order and words, then the compiled transforms.
   *
   * @param version what {@code {{version}}} in new values becomes
   */
  List<Transform> compile(String version) {
    List<Transform> out = new ArrayList<>();
    for (int i = 0; i < transforms.size(); i++) {
      try {
        out.add(compile(transforms.get(i), version));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("transforms::" + i + ": " + e.getMessage());
      }
    }
    return out;
  }

  private static Transform compile(TransformSettings t, String version) {
    if (t.include == null || t.include.isEmpty()) {
      throw new IllegalArgumentException("missing required field \"include\"");
    }
    String matchType = t.matchType == null || t.matchType.isEmpty() ? "strict" : t.matchType;
    if (!matchType.equals("strict") && !matchType.equals("regexp")) {
      throw new IllegalArgumentException("\"match_type\" must be in " + goList(List.of("strict", "regexp")));
    }
    GoRegex regexp = matchType.equals("regexp") ? regex(t.include, "\"include\", ") : null;
    if (!ACTIONS.contains(t.action)) {
      throw new IllegalArgumentException("\"action\" must be in " + goList(ACTIONS));
    }
    if (t.action.equals("group")) {
      throw new IllegalArgumentException("action group is not supported by Kansoku (update, insert and combine are)");
    }
    if ((t.action.equals("insert") || t.action.equals("combine")) && nullToEmpty(t.newName).isEmpty()) {
      throw new IllegalArgumentException("missing required field \"new_name\" while \"action\" is " + t.action);
    }
    if (t.action.equals("combine") && nullToEmpty(t.aggregationType).isEmpty()) {
      throw new IllegalArgumentException("missing required field \"aggregation_type\" while \"action\" is combine");
    }
    Aggregation aggregation = aggregation(t.aggregationType, "");
    if (!nullToEmpty(t.submatchCase).isEmpty() && !List.of("lower", "upper").contains(t.submatchCase)) {
      throw new IllegalArgumentException("\"submatch_case\" must be in " + goList(List.of("lower", "upper")));
    }
    Map<String, Predicate<String>> labels = new HashMap<>();
    if (t.experimentalMatchLabels != null) {
      t.experimentalMatchLabels.forEach((k, v) -> {
        String value = nullToEmpty(v);
        if (regexp == null) {
          labels.put(k, value::equals);
        } else {
          GoRegex r = regex(value, "experimental_match_labels::" + k + ": ");
          labels.put(k, r::find);
        }
      });
    }
    List<Operation> ops = new ArrayList<>();
    for (int j = 0; j < t.operations.size(); j++) {
      ops.add(operation(t.operations.get(j), "operation " + (j + 1) + ": ", version));
    }
    return new Transform(new MetricFilter(regexp == null ? t.include : null, regexp, labels),
        Action.valueOf(t.action.toUpperCase(Locale.ROOT)), nullToEmpty(t.newName), aggregation,
        nullToEmpty(t.submatchCase).isEmpty() ? null : t.submatchCase, List.copyOf(ops));
  }

  private static Operation operation(OperationSettings op, String at, String version) {
    if (op == null || !OPERATIONS.contains(op.action)) {
      throw new IllegalArgumentException(at + "\"action\" must be in " + goList(OPERATIONS));
    }
    String missing = switch (op.action) {
      case "update_label" -> nullToEmpty(op.label).isEmpty() ? "label" : null;
      case "add_label" -> nullToEmpty(op.newLabel).isEmpty() ? "new_label" : nullToEmpty(op.newValue).isEmpty()
          ? "new_value" : null;
      case "experimental_scale_value" -> op.experimentalScale == 0 ? "experimental_scale" : null;
      default -> null;
    };
    if (missing != null) {
      throw new IllegalArgumentException(at + "missing required field \"" + missing + "\" while \"action\" is "
          + op.action);
    }
    Aggregation aggregation = aggregation(op.aggregationType, at);
    if (aggregation == null && op.action.startsWith("aggregate_")) {
      throw new IllegalArgumentException(at + "missing required field \"aggregation_type\" while \"action\" is "
          + op.action);
    }
    Map<String, String> valueActions = new HashMap<>();
    for (ValueAction va : op.valueActions == null ? List.<ValueAction>of() : op.valueActions) {
      valueActions.put(nullToEmpty(va.value), nullToEmpty(va.newValue).replace("{{version}}", version));
    }
    return new Operation(Op.valueOf(op.action.replace("experimental_", "").toUpperCase(Locale.ROOT)),
        nullToEmpty(op.label), nullToEmpty(op.newLabel), nullToEmpty(op.newValue).replace("{{version}}", version),
        nullToEmpty(op.labelValue), op.experimentalScale, aggregation,
        op.labelSet == null ? null : Set.copyOf(op.labelSet),
        Set.copyOf(op.aggregatedValues == null ? List.of() : op.aggregatedValues), Map.copyOf(valueActions));
  }

  @Nullable
  private static Aggregation aggregation(@Nullable String name, String at) {
    if (name == null || name.isEmpty()) {
      return null;
    }
    if (!Aggregation.NAMES.contains(name)) {
      throw new IllegalArgumentException(at + "\"aggregation_type\" must be in " + goList(Aggregation.NAMES));
    }
    return Aggregation.of(name);
  }

  private static GoRegex regex(String pattern, String at) {
    try {
      return GoRegex.compile(pattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + e.getMessage());
    }
  }

  private static String nullToEmpty(@Nullable String s) {
    return s == null ? "" : s;
  }

  /** Go's %q of a string slice: ["a" "b"]. */
  private static String goList(List<String> items) {
    return items.stream().map(s -> "\"" + s + "\"").collect(Collectors.joining(" ", "[", "]"));
  }
}
