package dev.kansoku.deploy.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.annotation.Nullable;

/**
 * Everything a user can choose, read from CDK context ({@code cdk deploy -c key=value}) and checked
 * before any construct is made. Defaults reproduce the seed article: us-west-2, the {@code dice}
 * app, ADOT's collector v0.35.0, one task, the SSM parameter {@code otel-collector-config}.
 *
 * @param account AWS account id; null lets CDK deploy to whatever account the CLI's credentials name
 * @param collectorConfigYaml the collector YAML that goes into the SecureString parameter
 * @param vpcId an existing VPC to look up, or null for a new one
 * @param keyAdminArn the seed's "Key Administrators" principal, or null to leave key administration
 *     to the account's IAM policies (the key policy's first statement)
 */
public record DeploySettings(
    @Nullable String account,
    String region,
    String appName,
    String diceImageTag,
    Collector collector,
    String collectorImageTag,
    int desiredCount,
    @Nullable String vpcId,
    String collectorConfigFile,
    String collectorConfigYaml,
    String parameterName,
    @Nullable String keyAdminArn,
    String allowedCidr) {

  /** The seed's collector, ADOT, or Kansoku's image built from deploy/docker/kansoku/Dockerfile. */
  public enum Collector {
    ADOT("v0.35.0"),
    KANSOKU("latest");

    final String defaultTag;

    Collector(String defaultTag) {
      this.defaultTag = defaultTag;
    }
  }

  private static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
  private static final Pattern PARAMETER = Pattern.compile("/?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");
  private static final Pattern VPC = Pattern.compile("vpc-[0-9a-f]{8,17}");
  private static final Pattern CIDR = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}/\\d{1,2}");

  /**
   * Reads the settings. {@code context} gives a context value or null; {@code env} an environment
   * variable or null (CDK_DEFAULT_ACCOUNT/REGION, which the CDK CLI sets from the credentials);
   * relative {@code collectorConfig} paths resolve against {@code baseDir}.
   *
   * @throws IllegalArgumentException naming the context key, the bad value and what is expected
   */
  public static DeploySettings from(Function<String, Object> context, Function<String, String> env, Path baseDir) {
    String account = first(text(context, "account"), env.apply("CDK_DEFAULT_ACCOUNT"));
    if (account != null) {
      check("account", account, ACCOUNT, "12 digits");
    }
    String region = check("region", first(text(context, "region"), env.apply("CDK_DEFAULT_REGION"), "us-west-2"),
        REGION, "a region name such as us-west-2");
    String appName = check("appName", or(text(context, "appName"), "dice"), NAME,
        "lower-case letters, digits and '-', starting with a letter, at most 31 characters");
    String diceTag = check("diceImageTag", or(text(context, "diceImageTag"), "latest"), TAG, "an image tag");
    Collector collector = collector(or(text(context, "collector"), "adot"));
    String collectorTag = check("collectorImageTag", or(text(context, "collectorImageTag"), collector.defaultTag),
        TAG, "an image tag");
    int desiredCount = count(or(text(context, "desiredCount"), "1"));
    String vpcId = text(context, "vpcId");
    if (vpcId != null) {
      check("vpcId", vpcId, VPC, "a VPC id such as vpc-0123456789abcdef0");
      if (account == null) {
        throw new IllegalArgumentException(
            "vpcId: looking up an existing VPC needs the account (-c account=123456789012 or AWS credentials)");
      }
    }
    String configFile = or(text(context, "collectorConfig"), "collector.yaml");
    String yaml = read(baseDir.resolve(configFile), configFile);
    String parameterName = check("parameterName", or(text(context, "parameterName"), "otel-collector-config"),
        PARAMETER, "an SSM parameter name such as otel-collector-config or /dice/collector");
    String keyAdminArn = text(context, "keyAdminArn");
    if (keyAdminArn != null && !keyAdminArn.startsWith("arn:")) {
      throw new IllegalArgumentException("keyAdminArn: \"" + keyAdminArn + "\" (expected: an IAM user or role ARN)");
    }
    String cidr = check("allowedCidr", or(text(context, "allowedCidr"), "0.0.0.0/0"), CIDR,
        "an IPv4 CIDR such as 203.0.113.0/24");
    return new DeploySettings(account, region, appName, diceTag, collector, collectorTag, desiredCount, vpcId,
        configFile, yaml, parameterName, keyAdminArn, cidr);
  }

  /** The SSM parameter's ARN suffix: names without a leading slash get one, as IAM expects. */
  String parameterPath() {
    return parameterName.startsWith("/") ? parameterName : "/" + parameterName;
  }

  private static Collector collector(String value) {
    return switch (value) {
      case "adot" -> Collector.ADOT;
      case "kansoku" -> Collector.KANSOKU;
      default -> throw new IllegalArgumentException("collector: \"" + value + "\" (expected: adot or kansoku)");
    };
  }

  private static int count(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 0 && n <= 100) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the expectation
    }
    throw new IllegalArgumentException("desiredCount: \"" + value + "\" (expected: a whole number from 0 to 100)");
  }

  private static String read(Path file, String given) {
    try {
      String yaml = Files.readString(file, StandardCharsets.UTF_8);
      if (yaml.isBlank()) {
        throw new IllegalArgumentException("collectorConfig: " + given + " is empty (expected: the collector YAML)");
      }
      // SSM standard parameters hold at most 4 KB; larger values need the advanced tier.
      if (yaml.getBytes(StandardCharsets.UTF_8).length > 4096) {
        throw new IllegalArgumentException("collectorConfig: " + given + " is larger than 4096 bytes, the limit of"
            + " a standard SSM parameter (expected: a smaller YAML)");
      }
      return yaml;
    } catch (IOException e) {
      throw new UncheckedIOException("collectorConfig: cannot read " + file.toAbsolutePath(), e);
    }
  }

  private static String check(String key, String value, Pattern pattern, String expected) {
    if (!pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(key + ": \"" + value + "\" (expected: " + expected + ")");
    }
    return value;
  }

  @Nullable
  private static String text(Function<String, Object> context, String key) {
    Object value = context.apply(key);
    if (value == null) {
      return null;
    }
    String s = value.toString().trim();
    return s.isEmpty() ? null : s;
  }

  @Nullable
  private static String first(@Nullable String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }

  private static String or(@Nullable String value, String fallback) {
    return value == null ? fallback : value;
  }
}
