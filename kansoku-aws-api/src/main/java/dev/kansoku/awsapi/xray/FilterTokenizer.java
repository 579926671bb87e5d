package dev.kansoku.awsapi.xray;

import dev.kansoku.awsapi.xray.FilterExpressions.InvalidFilterException;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of an X-Ray filter expression: words (keywords, {@code annotation.key}, {@code http.url}),
 * double-quoted strings with backslash escapes, numbers, and the symbols {@code = != < <= > >= && || !
 * ( ) { } , :}. An unknown character, an unterminated string or a malformed number is an
 * {@link InvalidFilterException} naming its offset. Stateless.
 */
final class FilterTokenizer {
  private FilterTokenizer() {}

  enum Kind { WORD, STRING, NUMBER, SYMBOL, EOF }

  record Token(Kind kind, String text, int offset) {
    String describe() {
      return switch (kind) {
        case EOF -> "end of expression";
        case STRING -> "string \"" + text + "\"";
        default -> "'" + text + "'";
      };
    }

    boolean is(String symbolOrWord) {
      return (kind == Kind.SYMBOL && text.equals(symbolOrWord))
          || (kind == Kind.WORD && text.equalsIgnoreCase(symbolOrWord));
    }
  }

  static List<Token> tokenize(String text) {
    List<Token> out = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '"') {
        StringBuilder sb = new StringBuilder();
        int start = i++;
        boolean closed = false;
        while (i < n) {
          char d = text.charAt(i++);
          if (d == '\\' && i < n) {
            sb.append(text.charAt(i++));
          } else if (d == '"') {
            closed = true;
            break;
          } else {
            sb.append(d);
          }
        }
        if (!closed) {
          throw new InvalidFilterException("FilterExpression: unterminated string starting at offset " + start
              + " (expected: a closing \") in '" + text + "'", start);
        }
        out.add(new Token(Kind.STRING, sb.toString(), start));
      } else if (Character.isDigit(c) || ((c == '-' || c == '.') && i + 1 < n && Character.isDigit(text.charAt(i + 1)))) {
        int start = i++;
        while (i < n && (Character.isDigit(text.charAt(i)) || text.charAt(i) == '.' || text.charAt(i) == 'e'
            || text.charAt(i) == 'E')) {
          i++;
        }
        String num = text.substring(start, i);
        try {
          Double.parseDouble(num);
        } catch (NumberFormatException e) {
          throw new InvalidFilterException("FilterExpression: '" + num + "' at offset " + start
              + " is not a number in '" + text + "'", start);
        }
        out.add(new Token(Kind.NUMBER, num, start));
      } else if (Character.isLetter(c) || c == '_') {
        int start = i;
        while (i < n && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '.')) {
          i++;
        }
        out.add(new Token(Kind.WORD, text.substring(start, i), start));
      } else {
        String two = i + 1 < n ? text.substring(i, i + 2) : "";
        if (two.equals("!=") || two.equals("<=") || two.equals(">=") || two.equals("&&") || two.equals("||")) {
          out.add(new Token(Kind.SYMBOL, two, i));
          i += 2;
        } else if ("=<>!(){},:".indexOf(c) >= 0) {
          out.add(new Token(Kind.SYMBOL, String.valueOf(c), i));
          i++;
        } else {
          throw new InvalidFilterException("FilterExpression: unexpected character '" + c + "' at offset " + i
              + " in '" + text + "'", i);
        }
      }
    }
    out.add(new Token(Kind.EOF, "", n));
    return out;
  }
}
