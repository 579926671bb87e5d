package dev.kansoku.prometheus.relabel;

import dev.kansoku.prometheus.config.RelabelConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One checked relabel step, applied to a mutable label map as Prometheus's {@code relabel.Process} does. */
public final class RelabelRule {
  private static final Logger log = LoggerFactory.getLogger(RelabelRule.class);
  static final Set<String> ACTIONS = Set.of("replace", "keep", "drop", "keepequal", "dropequal", "hashmod", "labelmap",
      "labeldrop", "labelkeep", "lowercase", "uppercase");

  private final List<String> sourceLabels;
  private final String separator;
  private final GoRegex regex;
  private final long modulus;
  private final String targetLabel;
  private final String replacement;
  private final String action;

  private RelabelRule(RelabelConfig c, GoRegex regex, String action) {
    this.sourceLabels = List.copyOf(c.sourceLabels == null ? List.of() : c.sourceLabels);
    this.separator = c.separator == null ? "" : c.separator;
    this.regex = regex;
    this.modulus = c.modulus;
    this.targetLabel = c.targetLabel == null ? "" : c.targetLabel;
    this.replacement = c.replacement == null ? "" : c.replacement;
    this.action = action;
  }

  /** Checks {@code c} as Prometheus does; the message says what is wrong (the caller adds the path). */
  public static RelabelRule compile(RelabelConfig c) {
    String action = c.action == null ? "" : c.action.toLowerCase(Locale.ROOT);
    if (action.isEmpty()) {
      throw new IllegalArgumentException("relabel action cannot be empty");
    }
    if (!ACTIONS.contains(action)) {
      throw new IllegalArgumentException("unknown relabel action \"" + c.action + "\" (expected one of replace, keep,"
          + " drop, keepequal, dropequal, hashmod, labelmap, labeldrop, labelkeep, lowercase, uppercase)");
    }
    GoRegex regex = GoRegex.compile(c.regex == null ? "" : c.regex);
    String target = c.targetLabel == null ? "" : c.targetLabel;
    if (action.equals("hashmod") && c.modulus == 0) {
      throw new IllegalArgumentException("relabel configuration for hashmod requires non-zero modulus");
    }
    if (List.of("hashmod", "lowercase", "uppercase", "keepequal", "dropequal").contains(action) && target.isEmpty()) {
      throw new IllegalArgumentException("relabel configuration for " + action + " action requires 'target_label' value");
    }
    if (action.equals("replace") && target.isEmpty()) {
      // Prometheus refuses this, but the collector never runs Prometheus's validation of inline scrape
      // configs, so the rule loads and does nothing; ADOT's shipped EKS HAProxy configuration has one.
      log.warn("a replace relabel rule without target_label (source labels {}) changes nothing", c.sourceLabels);
    }
    if (List.of("hashmod", "lowercase", "uppercase", "keepequal", "dropequal").contains(action) && target.contains("$")) {
      throw new IllegalArgumentException("\"" + target + "\" is invalid 'target_label' for " + action + " action");
    }
    boolean defaults = (c.sourceLabels == null || c.sourceLabels.isEmpty()) && target.isEmpty() && c.modulus == 0
        && ";".equals(c.separator) && "$1".equals(c.replacement);
    if ((action.equals("labeldrop") || action.equals("labelkeep")) && !defaults) {
      throw new IllegalArgumentException(action + " action requires only 'regex', and no other fields");
    }
    if ((action.equals("keepequal") || action.equals("dropequal")) && (!"(.*)".equals(c.regex) || c.modulus != 0
        || !";".equals(c.separator) || !"$1".equals(c.replacement))) {
      throw new IllegalArgumentException(action + " action requires only 'source_labels' and `target_label`, and no"
          + " other fields");
    }
    return new RelabelRule(c, regex, action);
  }

  /** Applies {@code rules} in order to {@code labels}; false when a rule drops the label set. */
  public static boolean process(List<RelabelRule> rules, Map<String, String> labels) {
    for (RelabelRule r : rules) {
      if (!r.apply(labels)) {
        return false;
      }
    }
    return true;
  }

  /** Applies this rule; an empty value means the label is absent, as in Prometheus. */
  boolean apply(Map<String, String> labels) {
    String val = joinedSources(labels);
    switch (action) {
      case "drop":
        return !regex.matches(val);
      case "keep":
        return regex.matches(val);
      case "dropequal":
        return !labels.getOrDefault(targetLabel, "").equals(val);
      case "keepequal":
        return labels.getOrDefault(targetLabel, "").equals(val);
      case "replace": {
        Matcher m = regex.match(val);
        if (m == null) {
          return true;
        }
        String target = regex.expand(targetLabel, m);
        if (target.isEmpty()) {
          return true;
        }
        set(labels, target, regex.expand(replacement, m));
        return true;
      }
      case "lowercase":
        set(labels, targetLabel, val.toLowerCase(Locale.ROOT));
        return true;
      case "uppercase":
        set(labels, targetLabel, val.toUpperCase(Locale.ROOT));
        return true;
      case "hashmod":
        set(labels, targetLabel, Long.toUnsignedString(Long.remainderUnsigned(md5Low64(val), modulus)));
        return true;
      case "labelmap": {
        for (Map.Entry<String, String> e : new ArrayList<>(labels.entrySet())) {
          Matcher m = regex.match(e.getKey());
          if (m != null) {
            set(labels, regex.expand(replacement, m), e.getValue());
          }
        }
        return true;
      }
      case "labeldrop":
        labels.keySet().removeIf(regex::matches);
        return true;
      case "labelkeep":
        labels.keySet().removeIf(name -> !regex.matches(name));
        return true;
      default:
        throw new IllegalStateException(action);
    }
  }

  private String joinedSources(Map<String, String> labels) {
    if (sourceLabels.size() == 1) {
      return labels.getOrDefault(sourceLabels.get(0), "");
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < sourceLabels.size(); i++) {
      if (i > 0) {
        b.append(separator);
      }
      b.append(labels.getOrDefault(sourceLabels.get(i), ""));
    }
    return b.toString();
  }

  private static void set(Map<String, String> labels, String name, String value) {
    if (value.isEmpty()) {
      labels.remove(name);
    } else {
      labels.put(name, value);
    }
  }

  /** The last 8 bytes of the MD5 of {@code s}, big-endian: Prometheus's hashmod input. */
  private static long md5Low64(String s) {
    try {
      byte[] h = MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 8; i < 16; i++) {
        v = (v << 8) | (h[i] & 0xff);
      }
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
