package dev.kansoku.store;

/**
 * Makes one kind of store, chosen by the {@code kansoku} extension's {@code storage::type}. The
 * extension binds the other keys of its {@code storage} section onto {@link #createDefaultConfig()}
 * (snake_case keys onto the fields, as for every component), then validates and opens.
 *
 * <p>The server's component list names every factory of a build; adding a backend means adding its
 * module and one line there, never editing the code that reads from the store.
 *
 * @param <C> the settings class: plain fields holding their defaults
 */
public interface StorageFactory<C> {
  /** The value of {@code storage::type} that selects this factory, e.g. {@code embedded}. */
  String type();

  /** A fresh settings object holding the defaults. */
  C createDefaultConfig();

  /**
   * Checks the settings without doing I/O.
   *
   * @throws IllegalArgumentException whose message starts with the key, e.g. {@code path: empty}
   */
  void validate(C config);

  /**
   * Builds the store and opens it (files, a connection check), ready for every role.
   *
   * @throws IllegalStateException whose message says what failed, e.g. the cluster that cannot be reached
   */
  Storage open(C config);
}
