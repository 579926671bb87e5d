package dev.kansoku.pipeline;

import java.util.Optional;

/** A part that is not in the data path (authenticators, the store); started first, stopped last. */
public interface Extension extends Component {
  /**
   * This extension as a {@code type}, for components that look services up through the {@link Host}.
   * An extension that hosts parts of its own (the {@code kansoku} extension's endpoint APIs) offers
   * them here too.
   */
  default <T> Optional<T> offered(Class<T> type) {
    return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
  }
}
