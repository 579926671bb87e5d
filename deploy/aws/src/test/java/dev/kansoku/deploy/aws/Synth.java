package dev.kansoku.deploy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.assertions.Template;

/**
 * Synthesises the app as {@code cdk synth} would (same settings code, a context map instead of
 * {@code -c} flags) and reads the results. jsii start-up costs seconds, so each test class builds
 * its template once.
 */
final class Synth {
  static final String ACCOUNT = "123456789012";
  static final ObjectMapper JSON = new ObjectMapper();

  private Synth() {}

  /** The template for the app's defaults plus {@code context}, with the account set. */
  static Template template(Map<String, Object> context) {
    Map<String, Object> all = new HashMap<>(Map.of("account", ACCOUNT));
    all.putAll(context);
    try {
      Path out = Files.createTempDirectory("kansoku-cdk");
      App app = App.Builder.create().context(all).outdir(out.toString()).build();
      DeploySettings settings = DeploySettings.from(app.getNode()::tryGetContext, name -> null, Path.of(""));
      return Template.fromStack(new DiceStack(app, DeployApp.stackName(settings), settings));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The properties of the one resource of {@code type}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> only(Template template, String type) {
    Map<String, Map<String, Object>> found = template.findResources(type);
    assertThat(found).as("resources of type %s", type).hasSize(1);
    return (Map<String, Object>) found.values().iterator().next().get("Properties");
  }

  static JsonNode json(Object value) {
    return JSON.valueToTree(value);
  }

  /**
   * A CloudFormation value as text: Fn::Join is joined, Ref becomes {@code ${Ref:Id}} and
   * Fn::GetAtt {@code ${Id.Attr}}, other functions {@code ${Fn::Name}}, so tests can compare whole ARNs and JSON documents.
   */
  static String text(Object value) {
    JsonNode node = json(value);
    if (node.isTextual()) {
      return node.asText();
    }
    if (node.has("Fn::Join")) {
      String separator = node.get("Fn::Join").get(0).asText();
      List<String> parts = new ArrayList<>();
      node.get("Fn::Join").get(1).forEach(part -> parts.add(text(part)));
      return String.join(separator, parts);
    }
    if (node.has("Ref")) {
      return "${Ref:" + node.get("Ref").asText() + "}";
    }
    if (node.has("Fn::GetAtt")) {
      return "${" + node.get("Fn::GetAtt").get(0).asText() + "." + node.get("Fn::GetAtt").get(1).asText() + "}";
    }
    if (node.isObject() && node.size() == 1 && node.fieldNames().next().startsWith("Fn::")) {
      return "${" + node.fieldNames().next() + "}";
    }
    throw new AssertionError("not a string value: " + node);
  }

  /** {@code value}: one string or a list of them, as IAM writes Action and Resource. */
  static List<String> strings(JsonNode value) {
    List<String> out = new ArrayList<>();
    if (value.isArray()) {
      value.forEach(v -> out.add(text(v)));
    } else {
      out.add(text(value));
    }
    return out;
  }
}
