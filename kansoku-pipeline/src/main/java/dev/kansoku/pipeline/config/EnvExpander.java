package dev.kansoku.pipeline.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Expands {@code ${env:VAR}}, {@code ${VAR}} and {@code ${env:VAR:-default}} in string values (not
 * keys), as the collector does; {@code $$} stands for a literal {@code $}. An unset variable
 * becomes the empty string. Other provider schemes are errors rather than silently left in place.
 */
final class EnvExpander {
  private static final Pattern BARE = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?", Pattern.DOTALL);

  private final Function<String, String> env;

  EnvExpander(Function<String, String> env) {
    this.env = env;
  }

  /** Expands in place; returns the problems found, each with its path. */
  List<String> expand(JsonNode root) {
    List<String> problems = new ArrayList<>();
    walk(root, "", problems);
    return problems;
  }

  private void walk(JsonNode node, String path, List<String> problems) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        String childPath = path.isEmpty() ? e.getKey() : path + "::" + e.getKey();
        if (e.getValue().isTextual()) {
          e.setValue(new TextNode(expandString(e.getValue().textValue(), childPath, problems)));
        } else {
          walk(e.getValue(), childPath, problems);
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        String childPath = path + "::" + i;
        if (arr.get(i).isTextual()) {
          arr.set(i, new TextNode(expandString(arr.get(i).textValue(), childPath, problems)));
        } else {
          walk(arr.get(i), childPath, problems);
        }
      }
    }
  }

  String expandString(String s, String path, List<String> problems) {
    if (s.indexOf('$') < 0) {
      return s;
    }
    StringBuilder out = new StringBuilder(s.length());
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != '$' || i + 1 >= s.length()) {
        out.append(c);
        i++;
        continue;
      }
      char next = s.charAt(i + 1);
      if (next == '$') {
        out.append('$');
        i += 2;
        continue;
      }
      if (next != '{') {
        out.append(c);
        i++;
        continue;
      }
      int end = s.indexOf('}', i + 2);
      if (end < 0) {
        problems.add(path + ": unterminated \"${\" in \"" + s + "\"");
        return s;
      }
      out.append(resolve(s.substring(i + 2, end), path, problems));
      i = end + 1;
    }
    return out.toString();
  }

  private String resolve(String ref, String path, List<String> problems) {
    String body = ref;
    if (!BARE.matcher(ref).matches() && ref.indexOf(':') > 0) {
      String scheme = ref.substring(0, ref.indexOf(':'));
      if (!scheme.equals("env")) {
        problems.add(path + ": unsupported config provider \"" + scheme + "\" in \"${" + ref
            + "}\" (supported: ${env:VAR}, ${VAR}, ${env:VAR:-default})");
        return "";
      }
      body = ref.substring(scheme.length() + 1);
    }
    Matcher m = BARE.matcher(body);
    if (!m.matches()) {
      problems.add(path + ": \"${" + ref + "}\" does not name an environment variable");
      return "";
    }
    String value = env.apply(m.group(1));
    if (m.group(2) != null && (value == null || value.isEmpty())) {
      return m.group(2);
    }
    return value == null ? "" : value;
  }
}
