package dev.kansoku.api;

import com.linecorp.armeria.server.ServerBuilder;
import dev.kansoku.store.Storage;
import javax.annotation.Nullable;

/**
 * A family of routes that the {@code kansoku} extension serves on its endpoint beside the native
 * query API and the console; the AWS-compatible endpoints are one. The server's component list
 * hands the extension factory every API of the build.
 */
public interface EndpointApi {
  /**
   * Adds this API's routes and decorators for one starting extension. The returned object lives
   * as long as that extension: it is closed at shutdown, and components find it (and anything it
   * implements) through the extension, by type.
   */
  Served bind(ServerBuilder sb, Storage storage, Settings settings);

  /** The extension's settings that endpoint APIs honour. */
  record Settings(String extensionId, @Nullable AwsKey awsAuth) {}

  /** The one AWS key pair accepted, when {@code aws_auth} is set. */
  record AwsKey(String accessKeyId, String secretAccessKey) {}

  /** What {@link #bind} leaves running for one extension. */
  interface Served extends AutoCloseable {
    @Override
    void close();
  }
}
