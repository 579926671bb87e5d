package dev.kansoku.pipeline;

/** Sends data out of Kansoku (or into its store); one instance per configured id serves every signal. */
public interface Exporter extends Component {
  /** The consumer for {@code signal}; only asked for signals the factory declares. */
  <T> DataConsumer<T> consumer(Signal<T> signal);
}
