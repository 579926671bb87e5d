package dev.kansoku.pipeline;

/** A step of one pipeline; it holds the next consumer. */
public interface Processor<T> extends Component, DataConsumer<T> {}
