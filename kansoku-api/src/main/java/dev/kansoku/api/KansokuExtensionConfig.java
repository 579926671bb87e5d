package dev.kansoku.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kansoku.pipeline.Validatable;
import dev.kansoku.pipeline.config.AuthSettings;
import dev.kansoku.pipeline.config.ConfigBinder;
import dev.kansoku.pipeline.config.ConfigException;
import dev.kansoku.pipeline.config.Endpoints;
import dev.kansoku.store.StorageFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.annotation.Nullable;

/**
 * {@code kansoku} extension: owns the store and serves the query API, the console and the endpoint
 * APIs of the build (the AWS-compatible ones) on one HTTP endpoint.
 */
final class KansokuExtensionConfig implements Validatable {
  /** host:port of the HTTP endpoint; loopback unless you say otherwise. Example: 0.0.0.0:4600. */
  String endpoint = "localhost:4600";
  /** Require an authenticator extension's approval for every request. Example: {authenticator: bearertokenauth}. */
  AuthSettings auth;
  /**
   * Require AWS SigV4 signatures made with this key pair on the AWS-compatible endpoints (X-Ray,
   * CloudWatch Logs, CloudWatch); absent, any credentials are accepted. Example:
   * {access_key_id: AKIAKANSOKU, secret_access_key: ${env:KANSOKU_AWS_SECRET}}.
   */
  AwsAuth awsAuth;
  /**
   * Names a browser may reach the endpoint by (the Host header); IP literals and localhost always
   * pass. Unset: only those on a loopback endpoint, any name otherwise. "*" allows any. Guards
   * against DNS rebinding. Example: [kansoku.internal].
   */
  List<String> allowedHosts;

  private final transient Map<String, StorageFactory<?>> storages;
  /**
   * The storage section as written: {@code type} (embedded, memory, opensearch, ... as the build
   * offers) picks the factory that the other keys are bound onto, in {@link #validate()}.
   */
  private JsonNode storage = JsonNodeFactory.instance.objectNode();
  @Nullable private transient Bound<?> boundStorage;

  static final class AwsAuth {
    /** The only access key id accepted. Example: AKIAKANSOKU. */
    String accessKeyId = "";
    /** Its secret; better from the environment than in the file. Example: ${env:KANSOKU_AWS_SECRET}. */
    String secretAccessKey = "";
  }

  /** A storage factory with its bound settings. */
  record Bound<C>(StorageFactory<C> factory, C config) {
    dev.kansoku.store.Storage open() {
      return factory.open(config);
    }
  }

  KansokuExtensionConfig(Map<String, StorageFactory<?>> storages) {
    this.storages = storages;
  }

  @SuppressWarnings("unused") // called by the config binder
  private void setStorage(JsonNode node) {
    storage = node == null || node.isNull() ? JsonNodeFactory.instance.objectNode() : node;
  }

  @Override
  public void validate() {
    Endpoints.check("endpoint", endpoint);
    if (allowedHosts != null && allowedHosts.stream().anyMatch(h -> h == null || h.isBlank() || h.contains(":"))) {
      throw new IllegalArgumentException("allowed_hosts: " + allowedHosts + " (expected host names without port,"
          + " or \"*\")");
    }
    if (awsAuth != null && (awsAuth.accessKeyId.isBlank() || awsAuth.secretAccessKey.isBlank())) {
      throw new IllegalArgumentException("aws_auth: access_key_id and secret_access_key are both required");
    }
    boundStorage = bindStorage();
  }

  /** The storage factory and settings that {@link #validate()} bound. */
  Bound<?> storage() {
    if (boundStorage == null) {
      boundStorage = bindStorage();
    }
    return boundStorage;
  }

  String storageType() {
    return storage().factory().type();
  }

  private Bound<?> bindStorage() {
    if (!storage.isObject()) {
      throw new IllegalArgumentException("storage: expected a map of settings");
    }
    String type = storage.path("type").asText("embedded");
    StorageFactory<?> factory = storages.get(type);
    if (factory == null) {
      throw new IllegalArgumentException("storage::type: \"" + type + "\" (expected: "
          + storages.keySet().stream().sorted().collect(Collectors.joining(", ")) + ")");
    }
    return bind(factory);
  }

  private <C> Bound<C> bind(StorageFactory<C> factory) {
    ObjectNode rest = ((ObjectNode) storage).deepCopy();
    rest.remove("type");
    // One file often serves several types (type: ${env:STORAGE_TYPE:-memory} beside path: ...): a
    // key that only another store takes is left to that store; a key no store takes is an error.
    List<String> keys = new ArrayList<>();
    rest.fieldNames().forEachRemaining(keys::add);
    for (String key : keys) {
      ObjectNode one = JsonNodeFactory.instance.objectNode().set(key, rest.get(key));
      if (!binds(factory, one) && storages.values().stream().anyMatch(f -> f != factory && binds(f, one))) {
        rest.remove(key);
      }
    }
    C config;
    try {
      config = ConfigBinder.bind(rest, factory.createDefaultConfig(), "storage");
    } catch (ConfigException e) {
      throw new IllegalArgumentException(e.getMessage() + " (storage type " + factory.type() + ")", e);
    }
    try {
      factory.validate(config);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("storage::" + e.getMessage(), e);
    }
    return new Bound<>(factory, config);
  }

  private static boolean binds(StorageFactory<?> factory, ObjectNode one) {
    try {
      ConfigBinder.bind(one, factory.createDefaultConfig(), "storage");
      return true;
    } catch (ConfigException e) {
      return false;
    }
  }
}
