package dev.kansoku.pipeline.config;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?" for misspelt keys and types. */
final class Suggestions {
  private Suggestions() {}

  /** The closest candidate within an edit distance that still reads as a typo, if any. */
  static Optional<String> closest(String input, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(input.toLowerCase(), c.toLowerCase());
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, Math.min(3, input.length() / 3));
    return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /** Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** {@code , did you mean "x"?} or {@code  (valid keys: a, b)}, to follow a message. */
  static String hint(String input, Collection<String> candidates, String what) {
    Optional<String> c = closest(input, candidates);
    if (c.isPresent()) {
      return ", did you mean \"" + c.get() + "\"?";
    }
    if (candidates.isEmpty()) {
      return " (this section takes no keys)";
    }
    return " (valid " + what + ": " + String.join(", ", candidates.stream().sorted().toList()) + ")";
  }
}
