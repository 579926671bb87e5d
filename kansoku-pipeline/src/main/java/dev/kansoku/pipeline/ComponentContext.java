package dev.kansoku.pipeline;

import java.util.function.Function;
import java.util.function.Supplier;

/** What a factory knows when it creates a component. */
public interface ComponentContext {
  ComponentId id();

  /**
   * An object shared by every component this factory creates under the same id in this service,
   * created on first use: e.g. the one memory checker of {@code memory_limiter} used by all the
   * pipelines that name it.
   */
  <R> R shared(Class<R> type, Supplier<R> create);

  /**
   * The environment variables the service runs with (e.g. ECS_CONTAINER_METADATA_URI_V4, AWS_REGION):
   * the same lookup that expanded {@code ${env:...}} in the configuration. The process's by default.
   */
  default Function<String, String> env() {
    return System::getenv;
  }
}
