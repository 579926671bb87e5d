package dev.kansoku.contrib.attributesprocessor;

import dev.kansoku.contrib.attraction.ActionSettings;
import dev.kansoku.contrib.attraction.Actions;
import dev.kansoku.contrib.filterconfig.MatchProperties;
import dev.kansoku.pipeline.Validatable;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.Nullable;

/**
 * {@code attributes}: actions on span attributes, log record attributes and metric data point
 * attributes, for the items that {@code include} selects and {@code exclude} does not.
 */
final class AttributesConfig implements Validatable {
  /** Only items matching these are processed; checked before exclude. */
  @Nullable MatchProperties include;
  /** Items matching these are not processed. */
  @Nullable MatchProperties exclude;
  /**
   * The actions, applied in order. Required. Example: [{key: db.statement, action: hash},
   * {key: environment, value: production, action: upsert}].
   */
  List<ActionSettings> actions = new ArrayList<>();

  @Override
  public void validate() {
    if (actions == null || actions.isEmpty()) {
      throw new IllegalArgumentException("actions: missing; list at least one action, e.g."
          + " {key: environment, value: production, action: upsert}");
    }
    Actions.compile(actions, "actions");
    if (include != null) {
      include.compile("include");
    }
    if (exclude != null) {
      exclude.compile("exclude");
    }
  }
}
