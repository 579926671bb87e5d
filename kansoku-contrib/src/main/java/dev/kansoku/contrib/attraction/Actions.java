package dev.kansoku.contrib.attraction;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kansoku.contrib.attraction.ValueOps.ConvertedType;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import javax.annotation.Nullable;

/**
 * The collector's attribute actions (contrib's {@code attraction}), shared by the {@code resource}
 * and {@code attributes} processors: compiled once from the configuration, then applied in order to
 * attribute lists. Immutable and thread-safe.
 */
public final class Actions {
  private static final List<String> NAMES = List.of("insert", "update", "upsert", "delete", "hash", "extract",
      "convert");

  private final List<Action> actions;

  private Actions(List<Action> actions) {
    this.actions = actions;
  }

  /**
   * Checks and compiles {@code settings} as the collector does when it builds the processor.
   *
   * @param path where the list sits, e.g. {@code actions}; messages name the entry, e.g.
   *     {@code actions::2::action: unsupported action "inserts" …}
   * @throws IllegalArgumentException for the first entry that is wrong
   */
  public static Actions compile(List<ActionSettings> settings, String path) {
    List<Action> out = new ArrayList<>(settings.size());
    for (int i = 0; i < settings.size(); i++) {
      ActionSettings s = settings.get(i);
      String at = path + "::" + i;
      if (s == null) {
        throw new IllegalArgumentException(at + ": empty entry (expected key and action)");
      }
      out.add(compileOne(s, at));
    }
    return new Actions(List.copyOf(out));
  }

  private static Action compileOne(ActionSettings s, String at) {
    String name = s.action == null ? "" : s.action.toLowerCase(Locale.ROOT);
    String key = s.key == null ? "" : s.key;
    String pattern = s.pattern == null ? "" : s.pattern;
    String fromAttribute = s.fromAttribute == null ? "" : s.fromAttribute;
    String fromContext = s.fromContext == null ? "" : s.fromContext;
    String convertedType = s.convertedType == null ? "" : s.convertedType;
    boolean hasValue = !ConfigValues.absent(s.value);
    int sources = (hasValue ? 1 : 0) + (fromAttribute.isEmpty() ? 0 : 1) + (fromContext.isEmpty() ? 0 : 1);
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(at + "::action: " + (name.isEmpty() ? "missing" : "unsupported action \""
          + s.action + "\"") + " (expected one of " + String.join(", ", NAMES) + ")");
    }
    boolean keyOrPattern = name.equals("delete") || name.equals("hash");
    if (key.isEmpty() && !(keyOrPattern && !pattern.isEmpty())) {
      throw new IllegalArgumentException(keyOrPattern ? at + ": set key, pattern or both for action " + name
          : at + "::key: missing (action " + name + " needs the attribute's key)");
    }
    if (!convertedType.isEmpty() && !name.equals("convert")) {
      throw new IllegalArgumentException(at + "::converted_type: not used by action " + name + "; remove it");
    }
    Kind kind = Kind.valueOf(name.toUpperCase(Locale.ROOT));
    switch (kind) {
      case INSERT, UPDATE, UPSERT -> {
        boolean hasDefault = !ConfigValues.absent(s.defaultValue);
        if (sources == 0 && !hasDefault) {
          throw new IllegalArgumentException(at + ": action " + name
              + " needs one of value, from_attribute, from_context or default_value");
        }
        if (sources > 1) {
          throw new IllegalArgumentException(at + ": value, from_attribute and from_context exclude each other;"
              + " set only one");
        }
        if (!pattern.isEmpty()) {
          throw new IllegalArgumentException(at + "::pattern: not used by action " + name + "; remove it");
        }
        AnyValue defaultValue = hasDefault ? ConfigValues.fromYaml(s.defaultValue) : null;
        AnyValue value = hasValue ? literal(s.value, defaultValue) : null;
        return new Action(kind, key, value, fromAttribute.isEmpty() ? null : fromAttribute, defaultValue, null,
            null);
      }
      case DELETE, HASH -> {
        if (hasValue || !fromAttribute.isEmpty()) {
          throw new IllegalArgumentException(at + ": value and from_attribute are not used by action " + name
              + "; remove them");
        }
        return new Action(kind, key, null, null, null, pattern.isEmpty() ? null : regex(pattern, at), null);
      }
      case EXTRACT -> {
        if (sources > 0) {
          throw new IllegalArgumentException(at + ": value, from_attribute and from_context are not used by action"
              + " extract; remove them");
        }
        if (pattern.isEmpty()) {
          throw new IllegalArgumentException(at + "::pattern: missing (action extract needs a pattern with named"
              + " groups)");
        }
        GoRegex regex = regex(pattern, at);
        List<String> names = regex.groupNames();
        if (names.size() <= 1) {
          throw new IllegalArgumentException(at + "::pattern: \"" + pattern + "\" has no named groups (write"
              + " (?P<name>...) for each attribute to extract)");
        }
        if (names.subList(1, names.size()).contains("")) {
          throw new IllegalArgumentException(at + "::pattern: \"" + pattern + "\" has a group without a name; name"
              + " every group, or make it non-capturing with (?:...)");
        }
        return new Action(kind, key, null, null, null, regex, null);
      }
      default -> {
        if (sources > 0 || !pattern.isEmpty()) {
          throw new IllegalArgumentException(at + ": value, from_attribute, from_context and pattern are not used by"
              + " action convert; remove them");
        }
        if (convertedType.isEmpty()) {
          throw new IllegalArgumentException(at + "::converted_type: missing (expected int, double or string)");
        }
        if (!List.of("int", "double", "string").contains(convertedType)) {
          throw new IllegalArgumentException(at + "::converted_type: \"" + convertedType
              + "\" (expected int, double or string)");
        }
        return new Action(kind, key, null, null, null, null,
            ConvertedType.valueOf(convertedType.toUpperCase(Locale.ROOT)));
      }
    }
  }

  /**
   * The configured value. An unset {@code ${env:VAR}} becomes the empty string when Kansoku expands the
   * configuration, where the collector sees no value at all; so with a default_value, an empty string
   * counts as no value and the default applies, as it would upstream.
   */
  @Nullable
  private static AnyValue literal(JsonNode value, @Nullable AnyValue defaultValue) {
    if (defaultValue != null && value.isTextual() && value.textValue().isEmpty()) {
      return null;
    }
    return ConfigValues.fromYaml(value);
  }

  private static GoRegex regex(String pattern, String at) {
    try {
      return GoRegex.compile(pattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at + "::pattern: " + e.getMessage());
    }
  }

  /**
   * Applies every action in order to {@code attributes}.
   *
   * @return {@code attributes} itself when nothing changed, else the new list
   */
  public List<KeyValue> apply(List<KeyValue> attributes) {
    AttrList a = new AttrList(attributes);
    for (Action action : actions) {
      action.apply(a);
    }
    return a.result();
  }

  private enum Kind {
    INSERT, UPDATE, UPSERT, DELETE, HASH, EXTRACT, CONVERT
  }

  /**
   * One compiled action; fields a kind does not use are null. {@code literal} is {@code key: value}
   * built once, so a literal insert/update/upsert adds the same attribute object to every item.
   */
  private record Action(Kind kind, String key, @Nullable AnyValue value, @Nullable String fromAttribute,
      @Nullable AnyValue defaultValue, @Nullable GoRegex regex, @Nullable ConvertedType convertTo,
      @Nullable KeyValue literal) {

    Action(Kind kind, String key, @Nullable AnyValue value, @Nullable String fromAttribute,
        @Nullable AnyValue defaultValue, @Nullable GoRegex regex, @Nullable ConvertedType convertTo) {
      this(kind, key, value, fromAttribute, defaultValue, regex, convertTo,
          value == null ? null : KeyValue.newBuilder().setKey(key).setValue(value).build());
    }

    void apply(AttrList a) {
      switch (kind) {
        case INSERT -> {
          AnyValue v = source(a);
          if (v != null && a.indexOf(key) < 0) {
            a.append(attribute(v));
          }
        }
        case UPDATE -> {
          AnyValue v = source(a);
          int i = a.indexOf(key);
          if (v != null && i >= 0) {
            a.set(i, attribute(v));
          }
        }
        case UPSERT -> {
          AnyValue v = source(a);
          if (v != null) {
            a.put(attribute(v));
          }
        }
        case DELETE -> {
          a.remove(key);
          if (regex != null) {
            a.removeIf(regex::find);
          }
        }
        case HASH -> hash(a);
        case EXTRACT -> extract(a);
        case CONVERT -> {
          int i = a.indexOf(key);
          if (i >= 0) {
            a.set(i, ValueOps.convert(a.value(i), convertTo));
          }
        }
      }
    }

    /** {@code key: v}, the prebuilt one when {@code v} is the literal value. */
    private KeyValue attribute(AnyValue v) {
      return literal != null ? literal : KeyValue.newBuilder().setKey(key).setValue(v).build();
    }

    /**
     * value, else the from_attribute's value, else default_value; null when none gives one.
     * from_context never gives one: the pipeline carries no client information.
     */
    @Nullable
    private AnyValue source(AttrList a) {
      if (value != null) {
        return value;
      }
      if (fromAttribute != null) {
        int i = a.indexOf(fromAttribute);
        if (i >= 0) {
          return a.value(i);
        }
      }
      return defaultValue;
    }

    /** The key, then every key the pattern matches; a key that is both is hashed twice, as upstream does. */
    private void hash(AttrList a) {
      int i = a.indexOf(key);
      if (i >= 0) {
        a.set(i, ValueOps.hash(a.value(i)));
      }
      if (regex != null) {
        for (int j = 0; j < a.size(); j++) {
          if (regex.find(a.key(j))) {
            a.set(j, ValueOps.hash(a.value(j)));
          }
        }
      }
    }

    /** Named groups of the first match in the key's string value become (or replace) attributes. */
    private void extract(AttrList a) {
      int i = a.indexOf(key);
      if (i < 0 || !a.value(i).hasStringValue()) {
        return;
      }
      Matcher m = regex.pattern().matcher(a.value(i).getStringValue());
      if (!m.find()) {
        return;
      }
      List<String> names = regex.groupNames();
      for (int g = 1; g < names.size(); g++) {
        String group = m.group(g);
        a.put(names.get(g), AnyValue.newBuilder().setStringValue(group == null ? "" : group).build());
      }
    }
  }
}
