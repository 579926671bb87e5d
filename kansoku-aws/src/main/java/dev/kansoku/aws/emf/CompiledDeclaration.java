package dev.kansoku.aws.emf;

import dev.kansoku.aws.emf.AwsEmfExporterConfig.LabelMatcher;
import dev.kansoku.aws.emf.AwsEmfExporterConfig.MetricDeclaration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code metric_declarations} entry ready for matching: dimension sets deduplicated and sorted,
 * regular expressions compiled. Selectors and matchers match anywhere in the string ({@code find}),
 * as Go's {@code MatchString} does. Immutable.
 */
final class CompiledDeclaration {
  private static final Logger log = LoggerFactory.getLogger(CompiledDeclaration.class);
  /** CloudWatch accepts at most 30 dimensions per metric; the reference drops sets above 10. */
  private static final int MAX_DIMENSIONS = 10;

  private final List<List<String>> dimensions;
  private final List<Pattern> selectors;
  private final List<Matcher> matchers;

  private record Matcher(List<String> labelNames, String separator, Pattern regex) {
    boolean matches(Map<String, String> labels) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < labelNames.size(); i++) {
        if (i > 0) {
          b.append(separator);
        }
        b.append(labels.getOrDefault(labelNames.get(i), ""));
      }
      return regex.matcher(b).find();
    }
  }

  private CompiledDeclaration(List<List<String>> dimensions, List<Pattern> selectors, List<Matcher> matchers) {
    this.dimensions = dimensions;
    this.selectors = selectors;
    this.matchers = matchers;
  }

  /**
   * The declaration, or empty when the reference would drop it (no selectors, a matcher without
   * label names or regex or with a regex that does not compile); dropping is logged, as the collector
   * does, rather than refusing to start.
   */
  static Optional<CompiledDeclaration> compile(MetricDeclaration d) {
    if (d.metricNameSelectors.isEmpty()) {
      log.warn("Dropped metric declaration: no metric name selectors defined");
      return Optional.empty();
    }
    List<List<String>> dims = new ArrayList<>();
    for (List<String> set : d.dimensions) {
      if (set.size() > MAX_DIMENSIONS) {
        log.warn("Dropped dimension set: > 10 dimensions specified: {}", set);
        continue;
      }
      dims.add(List.copyOf(new TreeSet<>(set)));
    }
    List<Matcher> matchers = new ArrayList<>();
    for (LabelMatcher m : d.labelMatchers) {
      if (m.labelNames.isEmpty() || m.regex.isEmpty()) {
        log.warn("Dropped metric declaration: a label matcher needs label_names and regex");
        return Optional.empty();
      }
      Pattern regex;
      try {
        regex = Pattern.compile(m.regex);
      } catch (PatternSyntaxException e) {
        log.warn("Dropped metric declaration: label matcher regex \"{}\" ({})", m.regex, e.getDescription());
        return Optional.empty();
      }
      matchers.add(new Matcher(List.copyOf(m.labelNames), m.separator.isEmpty() ? ";" : m.separator, regex));
    }
    return Optional.of(new CompiledDeclaration(dedup(dims),
        d.metricNameSelectors.stream().map(Pattern::compile).toList(), List.copyOf(matchers)));
  }

  /**
   * Dimension sets without repeats, first kept. Sets are told apart by their names joined with ","
   * as the reference's dedupDimensions does, so [a,b] and [a, b] count as one.
   */
  static List<List<String>> dedup(Iterable<List<String>> sets) {
    Map<String, List<String>> unique = new LinkedHashMap<>();
    for (List<String> set : sets) {
      unique.putIfAbsent(String.join(",", set), set);
    }
    return List.copyOf(unique.values());
  }

  boolean matchesName(String metricName) {
    for (Pattern p : selectors) {
      if (p.matcher(metricName).find()) {
        return true;
      }
    }
    return false;
  }

  boolean matchesLabels(Map<String, String> labels) {
    if (matchers.isEmpty()) {
      return true;
    }
    for (Matcher m : matchers) {
      if (m.matches(labels)) {
        return true;
      }
    }
    return false;
  }

  /** The declared dimension sets whose every label is present. */
  List<List<String>> extractDimensions(Map<String, String> labels) {
    List<List<String>> out = new ArrayList<>();
    for (List<String> set : dimensions) {
      if (labels.keySet().containsAll(set)) {
        out.add(set);
      }
    }
    return out;
  }
}
