package dev.kansoku.contrib.attraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Go's regexp semantics on java.util.regex: what Go accepts, refuses and matches. */
class GoRegexTest {
  private static void matches(String pattern, String s, boolean expected) {
    assertThat(GoRegex.compile(pattern).find(s)).as("%s ~ %s", pattern, s).isEqualTo(expected);
  }

  private static void refused(String pattern, String message) {
    assertThatThrownBy(() -> GoRegex.compile(pattern)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("error parsing regexp: " + message + ": `" + pattern + "`");
  }

  @Test
  void groupNames_asGoSubexpNames() {
    assertThat(GoRegex.compile("^(?P<http_protocol>.*):\\/\\/(?<domain>[^/]*)(/.*)?$").groupNames())
        .containsExactly("", "http_protocol", "domain", "");
    assertThat(GoRegex.compile("(?P<a>x)(?:y)(?P<a>z)").groupNames()).containsExactly("", "a", "a");
  }

  @Test
  void matching_isUnanchored_andDollarIsEndOfText() {
    matches("auth.*", "myauthsvc", true);
    matches("^auth", "myauth", false);
    matches("abc$", "abc\n", false); // Java's $ alone would match before a final newline
    matches("(?m)abc$", "abc\nx", true);
    matches("a.c", "a\nc", false);
    matches("(?s)a.c", "a\nc", true);
    matches("(?i)ÉTÉ", "été", true);
  }

  @Test
  void goOnlySyntax_isTranslated() {
    matches("[[:digit:]]+x", "42x", true);
    matches("[[:^alpha:]]", "abc", false);
    matches("[[]", "[", true);
    matches("[a&&b]", "&", true);
    matches("[]a]", "]", true);
    matches("a{,2}", "a{,2}", true); // not a repetition in Go: literal braces
    matches("\\101", "A", true); // octal
    matches("\\x{41}\\v", "A\u000b", true);
    matches("\\p{Greek}+", "αβ", true);
    matches("\\pL", "x", true);
    matches("\\Qa.b\\E", "a.b", true);
  }

  @Test
  void whatGoRefuses_isRefused() {
    refused("a(?=b)", "invalid or unsupported Perl syntax: `(?=`");
    refused("(?<!a)b", "invalid or unsupported Perl syntax: `(?<`");
    refused("(a)\\1", "invalid escape sequence: `\\1`");
    refused("a*+", "invalid nested repetition operator: `*+`");
    refused("a{2}{3}", "invalid nested repetition operator: `{2}{`");
    refused("a{1001}", "invalid repeat count: `{1001}`");
    refused("abc\\Z", "invalid escape sequence: `\\Z`");
    refused("(?P<a.b>x)", "invalid named capture: `(?P<a.b>`");
    refused("(?x)a b", "invalid or unsupported Perl syntax: `(?x`");
    refused("(?U)a+", "flag U (ungreedy) is not supported by Kansoku; use lazy repetitions such as *? instead");
    refused("[[:foo:]]", "invalid character class range: `[:foo:]`");
    refused("x\\", "trailing backslash at end of expression");
  }
}
