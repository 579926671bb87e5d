package dev.kansoku.contrib.attraction;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One entry of an {@code actions} (attributes processor) or {@code attributes} (resource processor)
 * list, with the collector's keys. Which keys an action takes is checked by {@link Actions#compile}.
 */
public final class ActionSettings {
  /** The attribute acted upon. Required except for delete and hash with a pattern. Example: TaskId. */
  String key = "";
  /** insert, update, upsert, delete, hash, extract or convert, in any case. Example: insert. */
  String action = "";
  /** The value to set, typed as YAML types it (string, int, double, bool, list, map). Example: prometheus. */
  JsonNode value;
  /** Copy the value of this attribute of the same item; nothing happens when it is absent. Example: aws.ecs.task.id. */
  String fromAttribute = "";
  /**
   * Copy a value of the request's client (client.address, metadata.KEY, auth.KEY). Accepted, but
   * Kansoku's pipeline carries no client information yet, so only default_value can apply.
   */
  String fromContext = "";
  /** Used by insert, update and upsert when value, from_attribute or from_context give nothing. Example: development. */
  JsonNode defaultValue;
  /**
   * A regular expression (Go syntax): with extract, named groups become attributes; with delete and
   * hash, every attribute whose key it matches is acted upon. Example: ^/api/v1/(?P<version>[^/]+)/.
   */
  String pattern = "";
  /** The target of convert: int, double or string. */
  String convertedType = "";
}
