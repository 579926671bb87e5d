package dev.kansoku.ship;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javax.annotation.Nullable;

/**
 * {@code kansoku ship}'s command line, validated.
 *
 * @param endpoint a CloudWatch Logs endpoint (Kansoku's {@code http://localhost:4600}); null for AWS
 * @param region null to take the SDK's (AWS_REGION, profile)
 * @param file null for standard input
 */
record ShipOptions(@Nullable URI endpoint, @Nullable String region, String logGroup, String logStream,
    @Nullable Path file, boolean fromStart, Duration flushInterval) {
  static final String USAGE = String.join("\n",
      "Usage: kansoku ship --log-group NAME --log-stream NAME [--endpoint URL] [--region REGION]",
      "                    [--file PATH [--from-start]] [--flush-interval DURATION]",
      "",
      "Sends log lines to CloudWatch Logs with PutLogEvents, as Docker's awslogs driver does: one event",
      "per line, stamped when read, in batches within CloudWatch's limits. The group and stream are",
      "created when missing.",
      "  --endpoint URL        CloudWatch Logs endpoint, e.g. http://localhost:4600 (Kansoku); omitted: AWS",
      "  --region REGION       default: AWS_REGION or the profile's; us-east-1 with --endpoint",
      "  --file PATH           follow PATH (across rotation and truncation) instead of reading standard input",
      "  --from-start          with --file: ship what PATH holds already, then follow it",
      "  --flush-interval D    longest a line waits before it is sent (default 1s; e.g. 200ms, 5s)",
      "Credentials: the AWS SDK's default chain; with --endpoint and no credentials, requests go unsigned.",
      "Stops at the end of standard input, or on SIGTERM / Ctrl-C after sending what it has read.");

  /** Thrown for a bad command line; the message says what is wrong. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static ShipOptions parse(List<String> args) throws UsageException {
    URI endpoint = null;
    String region = null;
    String group = null;
    String stream = null;
    Path file = null;
    boolean fromStart = false;
    Duration flush = Duration.ofSeconds(1);
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      String inline = a.contains("=") ? a.substring(a.indexOf('=') + 1) : null;
      if (name.equals("--from-start")) {
        fromStart = true;
        continue;
      }
      if (!List.of("--endpoint", "--region", "--log-group", "--log-stream", "--file", "--flush-interval").contains(name)) {
        throw new UsageException("unknown argument \"" + a + "\"");
      }
      String value = inline;
      if (value == null) {
        if (i + 1 >= args.size()) {
          throw new UsageException(name + " needs a value");
        }
        value = args.get(++i);
      }
      switch (name) {
        case "--endpoint" -> endpoint = endpoint(value);
        case "--region" -> region = value;
        case "--log-group" -> group = value;
        case "--log-stream" -> stream = value;
        case "--file" -> file = Path.of(value);
        case "--flush-interval" -> flush = duration(name, value);
        default -> throw new UsageException("unknown argument \"" + a + "\"");
      }
    }
    if (group == null || group.isEmpty()) {
      throw new UsageException("--log-group is required (e.g. --log-group /ecs/dice)");
    }
    if (stream == null || stream.isEmpty()) {
      throw new UsageException("--log-stream is required (e.g. --log-stream dice/1)");
    }
    if (fromStart && file == null) {
      throw new UsageException("--from-start needs --file");
    }
    return new ShipOptions(endpoint, region, group, stream, file, fromStart, flush);
  }

  private static URI endpoint(String value) throws UsageException {
    try {
      URI u = URI.create(value);
      if (u.getHost() != null && ("http".equals(u.getScheme()) || "https".equals(u.getScheme()))) {
        return u;
      }
    } catch (IllegalArgumentException e) {
      // Reported below with the expected form.
    }
    throw new UsageException("--endpoint: \"" + value + "\" (expected: an http or https URL such as http://localhost:4600)");
  }

  /** {@code 250ms}, {@code 2s} or {@code 1m}, from 10 ms to 1 h. */
  static Duration duration(String option, String value) throws UsageException {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Duration d = null;
    try {
      if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
      }
    } catch (NumberFormatException e) {
      d = null;
    }
    if (d == null || d.toMillis() < 10 || d.compareTo(Duration.ofHours(1)) > 0) {
      throw new UsageException(option + ": \"" + value + "\" (expected: 10ms to 60m, e.g. 500ms, 2s)");
    }
    return d;
  }
}
