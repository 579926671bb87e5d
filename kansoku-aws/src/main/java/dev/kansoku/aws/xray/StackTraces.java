package dev.kansoku.aws.xray;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an {@code exception.stacktrace} into X-Ray exceptions with stack frames, per the SDK's
 * language ({@code telemetry.sdk.language}): java (and php, which formats like Java), python,
 * javascript, dotnet, go. Chained causes ("Caused by:", "During handling of the above exception")
 * become further exceptions linked by {@code cause}. Other languages get the exception without frames.
 *
 * <p>The parsers follow the collector's line by line, including its quirks (Python frames listed
 * innermost first, Go frames keeping the previous path when a line has none), so documents match
 * ADOT's. Where the collector would index out of range on malformed input, these parsers keep going.
 */
final class StackTraces {
  private static final Pattern GO_PATH_LINE = Pattern.compile("([^:\\s]+):(\\d+)");
  private static final Pattern GO_GOROUTINE = Pattern.compile("^goroutine.*\\brunning\\b.*:$");

  private StackTraces() {}

  static List<Segment.Exception> parse(String type, String message, String stacktrace, boolean remote,
      String language, Supplier<String> ids) {
    List<Segment.Exception> exceptions = new ArrayList<>(1);
    Segment.Exception top = new Segment.Exception();
    top.id = ids.get();
    top.type = type;
    top.remote = remote;
    top.message = message;
    exceptions.add(top);
    if (stacktrace.isEmpty()) {
      return exceptions;
    }
    switch (language) {
      case "java", "php" -> java(frameLines(stacktrace), exceptions, ids);
      case "python" -> python(stacktrace, exceptions, ids);
      case "javascript" -> javascript(frameLines(stacktrace), top);
      case "dotnet" -> dotnet(frameLines(stacktrace), top);
      case "go" -> go(frameLines(stacktrace), top);
      default -> { }
    }
    return exceptions;
  }

  /** Lines as Go's textproto reader yields them: no terminators, no empty line after a final newline. */
  private static final class Lines {
    private final String s;
    private int pos;

    Lines(String s) {
      this.s = s;
    }

    /** The next line, or null at the end. */
    String next() {
      if (pos >= s.length()) {
        return null;
      }
      int nl = s.indexOf('\n', pos);
      int end = nl < 0 ? s.length() : nl;
      String line = s.substring(pos, end > pos && s.charAt(end - 1) == '\r' ? end - 1 : end);
      pos = nl < 0 ? s.length() : nl + 1;
      return line;
    }
  }

  /** The lines after the first, which repeats the exception's type and message. */
  private static Lines frameLines(String stacktrace) {
    Lines r = new Lines(stacktrace);
    r.next();
    return r;
  }

  private static Segment.Exception chained(List<Segment.Exception> exceptions, Segment.Exception current, String type,
      String message, Supplier<String> ids) {
    Segment.Exception next = new Segment.Exception();
    next.id = ids.get();
    next.type = type;
    next.remote = current.remote;
    next.message = message;
    exceptions.add(next);
    current.cause = next.id;
    return next;
  }

  private static boolean isJavaFrame(String line) {
    return line.startsWith("\tat ") && line.indexOf('(') >= 0 && line.endsWith(")");
  }

  private static void java(Lines r, List<Segment.Exception> exceptions, Supplier<String> ids) {
    Segment.Exception exception = exceptions.get(0);
    String line = r.next();
    if (line == null) {
      return;
    }
    while (true) {
      if (line.startsWith("\tat ")) {
        int paren = line.indexOf('(');
        if (paren >= 0 && line.endsWith(")")) {
          String label = line.substring(4, Math.max(4, paren));
          int slash = label.indexOf('/');
          if (slash >= 0) {
            label = label.substring(slash + 1); // class loader or module prefix
          }
          String path = line.substring(paren + 1, line.length() - 1);
          int lineNumber = 0;
          int colon = path.indexOf(':');
          if (colon >= 0) {
            lineNumber = atoi(path.substring(colon + 1));
            path = path.substring(0, colon);
          }
          frame(exception, path, lineNumber, label);
        }
      } else if (line.startsWith("Caused by: ")) {
        String causeType = line.substring("Caused by: ".length());
        String causeMessage = "";
        int colon = causeType.indexOf(':');
        if (colon >= 0) {
          causeMessage = causeType.substring(Math.min(colon + 2, causeType.length()));
          causeType = causeType.substring(0, colon);
        }
        StringBuilder msg = new StringBuilder(causeMessage);
        // The message may span lines: read until the next frame.
        while (true) {
          line = r.next();
          if (line == null) {
            line = "";
            break;
          }
          if (isJavaFrame(line)) {
            break;
          }
          msg.append(line);
        }
        exception = chained(exceptions, exception, causeType, msg.toString(), ids);
        continue; // line holds the first frame of the cause
      }
      // "... n more" and "Suppressed:" blocks are skipped.
      line = r.next();
      if (line == null) {
        return;
      }
    }
  }

  private static void python(String stacktrace, List<Segment.Exception> exceptions, Supplier<String> ids) {
    // Read bottom-up; Python always uses '\n'.
    String[] lines = stacktrace.split("\n", -1);
    int lineIdx = lines.length - 2; // the last line is the exception itself
    if (lineIdx < 0) {
      return;
    }
    String line = lines[lineIdx];
    Segment.Exception exception = exceptions.get(0);
    while (true) {
      if (line.startsWith("  File ")) {
        String[] parts = line.split(",", -1);
        if (parts.length == 3) {
          String filePart = parts[0];
          String file = filePart.length() >= 9 ? filePart.substring(8, filePart.length() - 1) : "";
          int lineNumber = parts[1].startsWith(" line ") ? atoi(parts[1].substring(6)) : 0;
          String label = parts[2].startsWith(" in ") ? parts[2].substring(4) : "";
          frame(exception, file, lineNumber, label);
        }
      } else if (line.startsWith("During handling of the above exception, another exception occurred:")) {
        int nextFile = lineIdx - 1;
        while (true) {
          if (nextFile < 0) {
            return; // malformed
          }
          if (lines[nextFile].startsWith("  File ")) {
            break;
          }
          nextFile--;
        }
        // The message starts two lines below that "File" line and ends two lines above "During handling".
        int from = nextFile + 2;
        int to = lineIdx - 1;
        String message = from < to ? String.join("\n", java.util.Arrays.asList(lines).subList(from, to)) : "";
        lineIdx = nextFile;
        int colon = message.indexOf(':');
        if (colon < 0) {
          return; // malformed
        }
        exception = chained(exceptions, exception, message.substring(0, colon),
            message.substring(Math.min(colon + 2, message.length())), ids);
        line = lines[lineIdx];
        continue;
      }
      lineIdx--;
      if (lineIdx < 0) {
        return;
      }
      line = lines[lineIdx];
    }
  }

  private static void javascript(Lines r, Segment.Exception exception) {
    String line = r.next();
    while (line != null) {
      if (line.startsWith("    at ")) {
        int paren = line.indexOf('(');
        String label = "";
        String path = "";
        int lineNumber = 0;
        if (paren >= 0 && line.endsWith(")")) {
          label = line.substring(7, Math.max(7, paren));
          path = line.substring(paren + 1, line.length() - 1);
        } else if (paren < 0) {
          path = line.substring(7);
        }
        int first = path.indexOf(':');
        int second = first < 0 ? -1 : path.indexOf(':', first + 1);
        if (first >= 0 && second >= 0) {
          lineNumber = atoi(path.substring(first + 1, second));
          path = path.substring(0, first);
        } else if (first < 0 && path.contains("native")) {
          path = "native";
        }
        if (!path.isEmpty() || !label.isEmpty() || lineNumber != 0) {
          frame(exception, path, lineNumber, label);
        }
      }
      line = r.next();
    }
  }

  private static void dotnet(Lines r, Segment.Exception exception) {
    String line = r.next();
    while (line != null) {
      line = line.strip();
      if (line.startsWith("at ")) {
        int in = line.indexOf(" in ");
        if (in >= 0) {
          String[] parts = line.split(" in ", -1);
          String label = parts[0].substring(3);
          String path = parts[1];
          int lineNumber = 0;
          int colon = path.lastIndexOf(':');
          if (colon >= 0) {
            String lineStr = path.substring(colon + 1);
            if (lineStr.startsWith("line")) {
              lineStr = lineStr.substring(Math.min(5, lineStr.length()));
            }
            path = path.substring(0, colon);
            lineNumber = atoi(lineStr);
          }
          frame(exception, path, lineNumber, label);
        } else {
          int close = line.lastIndexOf(')');
          if (close >= 0) {
            frame(exception, "", 0, line.substring(3, Math.max(3, close + 1)));
          }
        }
      }
      line = r.next();
    }
  }

  private static void go(Lines r, Segment.Exception exception) {
    String line = r.next();
    if (line == null) {
      return;
    }
    // Kept across frames on purpose: a frame without a file line repeats the previous path and line.
    String path = "";
    int lineNumber = 0;
    while (true) {
      if (GO_GOROUTINE.matcher(line).find()) {
        line = orEmpty(r.next());
      }
      String label = line;
      line = orEmpty(r.next());
      Matcher m = GO_PATH_LINE.matcher(line);
      if (m.find()) {
        path = m.group(1);
        lineNumber = atoi(m.group(2));
      }
      frame(exception, path, lineNumber, label);
      line = r.next();
      if (line == null) {
        return;
      }
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static void frame(Segment.Exception exception, String path, int line, String label) {
    if (exception.stack == null) {
      exception.stack = new ArrayList<>();
    }
    exception.stack.add(new Segment.StackFrame(path, line, label));
  }

  /** Go's {@code strconv.Atoi} with the error ignored: 0 unless the whole text is a number. */
  private static int atoi(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
