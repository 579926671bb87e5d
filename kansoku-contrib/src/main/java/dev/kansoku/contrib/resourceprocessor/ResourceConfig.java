package dev.kansoku.contrib.resourceprocessor;

import dev.kansoku.contrib.attraction.ActionSettings;
import dev.kansoku.contrib.attraction.Actions;
import dev.kansoku.pipeline.Validatable;
import java.util.ArrayList;
import java.util.List;

/** {@code resource}: actions on the resource attributes of every batch, in order. */
final class ResourceConfig implements Validatable {
  /**
   * The actions (insert, update, upsert, delete, hash, extract, convert). Required. Example:
   * [{key: TaskId, from_attribute: aws.ecs.task.id, action: insert}, {key: aws.ecs.task.id, action: delete}].
   */
  List<ActionSettings> attributes = new ArrayList<>();

  @Override
  public void validate() {
    if (attributes == null || attributes.isEmpty()) {
      throw new IllegalArgumentException("attributes: missing; list at least one action, e.g."
          + " {key: deployment.environment, value: production, action: upsert}");
    }
    Actions.compile(attributes, "attributes");
  }
}
